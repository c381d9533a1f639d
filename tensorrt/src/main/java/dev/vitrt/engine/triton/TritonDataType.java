package dev.vitrt.engine.triton;

import dev.vitrt.runtime.ElementType;

/**
 * Triton's tensor data types, as {@code model_config.proto}'s {@code DataType} names them ({@code TYPE_FP32}...), with
 * the element type each stands for: the translation at the Triton boundary.
 */
public enum TritonDataType {
    TYPE_BOOL(1, ElementType.BOOL),
    TYPE_UINT8(2, ElementType.UINT8),
    TYPE_UINT16(3, ElementType.UINT16),
    TYPE_UINT32(4, ElementType.UINT32),
    TYPE_UINT64(5, ElementType.UINT64),
    TYPE_INT8(6, ElementType.INT8),
    TYPE_INT16(7, ElementType.INT16),
    TYPE_INT32(8, ElementType.INT32),
    TYPE_INT64(9, ElementType.INT64),
    TYPE_FP16(10, ElementType.FLOAT16),
    TYPE_FP32(11, ElementType.FLOAT32),
    TYPE_FP64(12, ElementType.FLOAT64),
    /** Triton's BYTES: ONNX string tensors. */
    TYPE_STRING(13, ElementType.STRING),
    TYPE_BF16(14, ElementType.BFLOAT16);

    private final int protoValue;
    private final ElementType elementType;

    TritonDataType(int protoValue, ElementType elementType) {
        this.protoValue = protoValue;
        this.elementType = elementType;
    }

    /** The value of this name in {@code model_config.proto}'s {@code DataType}. */
    public int protoValue() {
        return protoValue;
    }

    /** The element type Triton's type holds. */
    public ElementType elementType() {
        return elementType;
    }

    /** Triton's type for an element type; {@code what} names the tensor in the error when Triton has none. */
    public static TritonDataType of(ElementType t, String what) {
        for (TritonDataType d : values()) {
            if (d.elementType == t) {
                return d;
            }
        }
        throw new IllegalArgumentException(what + ": element type " + t + " has no Triton equivalent");
    }
}
