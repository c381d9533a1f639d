package dev.vitrt.tensorrt;

import dev.vitrt.runtime.ElementType;
import java.util.Optional;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.nvinfer.Dims64;

/**
 * TensorRT's types at the boundary: its {@code DataType} to and from VitRT's {@link ElementType}, and dimensions to and
 * from arrays.
 */
public final class TrtTypes {
    /** Element types by TensorRT's {@code DataType} value (NvInferRuntimeBase.h, TensorRT 11). */
    private static final ElementType[] BY_TRT = {
        ElementType.FLOAT32,        // kFLOAT = 0
        ElementType.FLOAT16,        // kHALF = 1
        ElementType.INT8,           // kINT8 = 2
        ElementType.INT32,          // kINT32 = 3
        ElementType.BOOL,           // kBOOL = 4
        ElementType.UINT8,          // kUINT8 = 5
        ElementType.FLOAT8_E4M3FN,  // kFP8 = 6: 1 sign, 4 exponent, 3 mantissa bits, bias 7, no infinities
        ElementType.BFLOAT16,       // kBF16 = 7
        ElementType.INT64,          // kINT64 = 8
        ElementType.INT4,           // kINT4 = 9
        ElementType.FLOAT4_E2M1FN,  // kFP4 = 10: 1 sign, 2 exponent, 1 mantissa bit
        ElementType.FLOAT8_E8M0FNU, // kE8M0 = 11: unsigned exponent-only scales
    };

    private TrtTypes() {
    }

    /** The element type of a TensorRT data type. */
    public static ElementType elementType(DataType t) {
        return elementType(t.value).orElseThrow(() -> new IllegalArgumentException("TensorRT data type " + t
                + " (" + t.value + ") is newer than this VitRT"));
    }

    /** The element type of TensorRT's {@code DataType} value {@code value}, empty for a value it does not define. */
    public static Optional<ElementType> elementType(int value) {
        return value >= 0 && value < BY_TRT.length ? Optional.of(BY_TRT[value]) : Optional.empty();
    }

    /** TensorRT's data type for an element type, empty for one TensorRT has no type for ({@code float64}...). */
    public static Optional<DataType> dataType(ElementType t) {
        for (int v = 0; v < BY_TRT.length; v++) {
            if (BY_TRT[v] == t) {
                int value = v;
                for (DataType d : DataType.values()) {
                    if (d.value == value) {
                        return Optional.of(d);
                    }
                }
            }
        }
        return Optional.empty();
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
