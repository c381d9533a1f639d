package dev.vitrt.tensorrt;

import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.nvinfer.Dims64;

/** Conversions between TensorRT's types and the plain names and arrays VitRT writes in manifests. */
public final class TrtTypes {
    private TrtTypes() {
    }

    /** {@code float32}, {@code float16}, {@code int8}... for a TensorRT data type. */
    public static String name(DataType t) {
        int v = t.value;
        if (v == DataType.kFLOAT.value) {
            return "float32";
        } else if (v == DataType.kHALF.value) {
            return "float16";
        } else if (v == DataType.kBF16.value) {
            return "bfloat16";
        } else if (v == DataType.kINT8.value) {
            return "int8";
        } else if (v == DataType.kUINT8.value) {
            return "uint8";
        } else if (v == DataType.kINT32.value) {
            return "int32";
        } else if (v == DataType.kINT64.value) {
            return "int64";
        } else if (v == DataType.kBOOL.value) {
            return "bool";
        } else if (v == DataType.kFP8.value) {
            return "fp8";
        }
        return "type" + v;
    }

    /** Bytes per element of a data type name written by {@link #name}. */
    public static int bytes(String dtype) {
        switch (dtype) {
            case "float32":
            case "int32":
                return 4;
            case "float16":
            case "bfloat16":
                return 2;
            case "int64":
                return 8;
            case "int8":
            case "uint8":
            case "bool":
            case "fp8":
                return 1;
            default:
                throw new IllegalArgumentException("unsupported tensor type " + dtype);
        }
    }

    /** Dimensions as an array; dynamic ones are -1. */
    public static long[] dims(Dims64 d) {
        long[] out = new long[d.nbDims()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.d(i);
        }
        return out;
    }

    /** A Dims64 holding these dimensions. */
    public static Dims64 dims(long... values) {
        if (values.length > Dims64.MAX_DIMS) {
            throw new IllegalArgumentException("too many dimensions: " + values.length);
        }
        Dims64 d = new Dims64();
        d.nbDims(values.length);
        for (int i = 0; i < values.length; i++) {
            d.d(i, values[i]);
        }
        return d;
    }
}
