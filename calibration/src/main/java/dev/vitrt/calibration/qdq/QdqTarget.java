package dev.vitrt.calibration.qdq;

import java.util.Locale;

/**
 * Which runtime the Q/DQ layout is made for. Both follow TensorRT's placement (Q/DQ on the inputs of Conv,
 * MatMul/Gemm and on the residual input of Add; weights per output channel; activations per tensor; zero point 0).
 * They differ where the two runtimes disagree:
 * <ul>
 *   <li>{@link #TENSORRT}: biases stay float32 (TensorRT's parser only dequantizes activation types).</li>
 *   <li>{@link #ORT}: as ONNX Runtime's CPU fusions require: Conv/Gemm biases quantized to int32 (scale = input
 *   scale x weight scale) behind a DequantizeLinear, and a Q/DQ pair on Conv outputs, so that
 *   {@code DQ -> Conv -> Q} becomes a QLinearConv. {@link TensorRtLayout} turns such a graph into the TensorRT layout.</li>
 * </ul>
 */
public enum QdqTarget {
    ORT, TENSORRT;

    public String id() {
        return this == ORT ? "ort" : "tensorrt";
    }

    public static QdqTarget parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "ort", "onnxruntime" -> ORT;
            case "tensorrt", "trt" -> TENSORRT;
            default -> throw new IllegalArgumentException("unknown Q/DQ target '" + s + "' (use ort or tensorrt)");
        };
    }
}
