package dev.vitrt.runtime.profile;

/**
 * Time one layer (an ONNX Runtime node, a TensorRT layer) took, averaged per run.
 *
 * @param name   the layer's name as the backend reports it
 * @param opType the operator type when known (ONNX Runtime's {@code op_name}), else null
 * @param ms     mean milliseconds per run
 */
public record LayerTime(String name, String opType, double ms) {
}
