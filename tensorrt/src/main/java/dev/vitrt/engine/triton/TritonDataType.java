package dev.vitrt.engine.triton;

import ai.onnx.proto.OnnxMl.TensorProto;

/** Triton's tensor data types ({@code TYPE_FP32}...) and where they come from: ONNX element types, manifest names. */
public enum TritonDataType {
    TYPE_BOOL, TYPE_UINT8, TYPE_INT8, TYPE_INT16, TYPE_INT32, TYPE_INT64, TYPE_FP16, TYPE_BF16, TYPE_FP32, TYPE_FP64;

    /** The Triton type of an ONNX {@code TensorProto.DataType} value; {@code what} names the tensor in errors. */
    public static TritonDataType ofOnnx(int elemType, String what) {
        return switch (elemType) {
            case TensorProto.DataType.BOOL_VALUE -> TYPE_BOOL;
            case TensorProto.DataType.UINT8_VALUE -> TYPE_UINT8;
            case TensorProto.DataType.INT8_VALUE -> TYPE_INT8;
            case TensorProto.DataType.INT16_VALUE -> TYPE_INT16;
            case TensorProto.DataType.INT32_VALUE -> TYPE_INT32;
            case TensorProto.DataType.INT64_VALUE -> TYPE_INT64;
            case TensorProto.DataType.FLOAT16_VALUE -> TYPE_FP16;
            case TensorProto.DataType.BFLOAT16_VALUE -> TYPE_BF16;
            case TensorProto.DataType.FLOAT_VALUE -> TYPE_FP32;
            case TensorProto.DataType.DOUBLE_VALUE -> TYPE_FP64;
            default -> throw new IllegalArgumentException(what + ": ONNX element type " + elemType
                    + " has no Triton equivalent");
        };
    }

    /** The Triton type of a plan manifest's dtype name ({@code float32}, {@code float16}, ...). */
    public static TritonDataType ofManifest(String dtype, String what) {
        return switch (dtype) {
            case "bool" -> TYPE_BOOL;
            case "uint8" -> TYPE_UINT8;
            case "int8" -> TYPE_INT8;
            case "int32" -> TYPE_INT32;
            case "int64" -> TYPE_INT64;
            case "float16" -> TYPE_FP16;
            case "bfloat16" -> TYPE_BF16;
            case "float32" -> TYPE_FP32;
            default -> throw new IllegalArgumentException(what + ": tensor type '" + dtype
                    + "' has no Triton equivalent");
        };
    }
}
