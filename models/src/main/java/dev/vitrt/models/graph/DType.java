package dev.vitrt.models.graph;

/** Element types the graphs use, with their ONNX {@code TensorProto.DataType} codes. */
public enum DType {
    FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), INT32(6, 4), INT64(7, 8), BOOL(9, 1), FLOAT16(10, 2);

    public final int onnxCode;
    public final int bytes;

    DType(int onnxCode, int bytes) {
        this.onnxCode = onnxCode;
        this.bytes = bytes;
    }

    public static DType fromOnnx(int code) {
        for (DType d : values()) {
            if (d.onnxCode == code) {
                return d;
            }
        }
        throw new IllegalArgumentException("unsupported ONNX data type " + code);
    }
}
