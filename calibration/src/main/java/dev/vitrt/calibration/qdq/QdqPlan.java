package dev.vitrt.calibration.qdq;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where Q/DQ nodes go in one graph, before any scale is known: the activations to calibrate and quantize (per
 * tensor) with the node inputs that will read their dequantized value, the weights to quantize per channel, and
 * (ONNX Runtime layout) the biases to quantize to int32.
 *
 * @param activations tensor name to the node inputs that read its dequantized value, in graph order
 * @param weights constant inputs of weighted ops, quantized per output channel
 * @param biases Conv/Gemm biases quantized to int32 ({@link QdqTarget#ORT} only)
 * @param target the layout's target runtime
 * @param nonNegative activations known to be non-negative (Relu, Sigmoid and Softmax outputs) that the {@link QdqTarget#ORT} layout
 *                    quantizes as uint8 with zero point 0 (255 steps over [0, threshold], where the symmetric grid
 *                    spends half its steps on negatives); empty for TensorRT, whose activations are symmetric
 * @param lowerBounds activations with a known negative lower bound (SiLU outputs: never below -0.2785) that the
 *                    {@link QdqTarget#ORT} layout quantizes as uint8 over [bound, threshold], zero point where 0
 *                    falls (nearly twice the steps of the symmetric grid over the same threshold); empty for TensorRT
 */
public record QdqPlan(Map<String, List<NodeInput>> activations, List<WeightUse> weights, List<BiasUse> biases,
                      QdqTarget target, Set<String> nonNegative, Map<String, Float> lowerBounds) {

    /** Input {@code input} of the node at index {@code node} (in the original graph's node list). */
    public record NodeInput(int node, int input) {
    }

    /**
     * A weight read by input {@code use} through initializer {@code initializer} (possibly behind Cast/Identity).
     *
     * @param axis the output-channel axis, or -1 for one per-tensor scale
     */
    public record WeightUse(NodeInput use, String initializer, int axis) {
    }

    /** The bias of a Conv/Gemm: its scale is the product of {@code activation}'s scale and the weight's. */
    public record BiasUse(NodeInput use, String initializer, String activation, WeightUse weight) {
    }

    /** The activation tensors that need a calibrated scale. */
    public Set<String> activationTensors() {
        return activations.keySet();
    }
}
