package dev.vitrt.runtime;

import java.util.Locale;

/** Which backend a user asks for: {@code auto} picks TensorRT where it can run, else ONNX Runtime. */
public enum BackendKind {
    AUTO, ONNXRUNTIME, TENSORRT;

    /** Parses {@code auto|onnxruntime|tensorrt} (also {@code ort}, {@code trt}); one clear line otherwise. */
    public static BackendKind parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "auto" -> AUTO;
            case "onnxruntime", "ort" -> ONNXRUNTIME;
            case "tensorrt", "trt" -> TENSORRT;
            default -> throw new IllegalArgumentException("unknown backend '" + s
                    + "' (expected auto, onnxruntime or tensorrt)");
        };
    }

    /** The name users type. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
