package dev.vitrt.calibration.qdq;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.vitrt.models.onnx.OnnxTensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides where Q/DQ nodes go, following TensorRT's explicit-quantization recommendations:
 * <ol>
 *   <li>the data inputs of Conv, MatMul and Gemm are quantized per tensor, their constant weights per output channel
 *   (Conv: axis 0; MatMul [K,N]: axis 1; Gemm: axis 0 with transB, else 1);</li>
 *   <li>an Add fed by a weighted op (directly or through a bias Add) gets its other, residual input quantized, so
 *   that TensorRT fuses the add into the convolution;</li>
 *   <li>({@link QdqTarget#ORT}) a Conv's output is quantized too, so ONNX Runtime makes a QLinearConv of it, unless
 *   that value reaches a Softmax, a normalization or a reduction (through shape-only ops) or is a graph output. A Conv
 *   read only by a Relu has the Relu's output quantized instead, as a non-negative value (uint8, zero point 0): ONNX
 *   Runtime then drops the Relu (the quantizer clips at zero) and runs Conv and Relu as one QLinearConv, with no float
 *   Relu between a DequantizeLinear and a QuantizeLinear.</li>
 *   <li>({@link QdqTarget#ORT}) the gate of a SiLU, {@code x * Sigmoid(x)}, is quantized when x and the product are:
 *   ONNX Runtime then runs the whole SiLU as QLinearSigmoid and QLinearMul on int8 values, instead of dequantizing x
 *   (twice: once per reader), computing in float and quantizing again.</li>
 *   <li>({@link QdqTarget#ORT}) a Conv reading the image (a graph input of at most 3 channels) stays float: quantizing
 *   the image costs ONNX Runtime a QuantizeLinear over it and a transpose of a 3-channel int8 tensor to NHWC, the two
 *   costliest nodes of an INT8 MobileViTv2-0.5, more than the int8 convolution saves (3-4% of the whole graph's CPU
 *   time measured side by side, {@code bench/run GraphPairBench}), and the image keeps its full precision.</li>
 *   <li>({@link QdqTarget#ORT}) a SiLU's product, never below -0.2785, goes on the uint8 grid over [-0.2785,
 *   threshold] (or [-threshold, threshold] for a threshold under 0.2785) with the zero point where 0 falls, instead
 *   of the symmetric grid that spends half its steps on negatives it never takes: nearly twice the resolution at no
 *   cost in ONNX Runtime (its kernels take any uint8 zero point); with timm's MobileViTv2-0.5 weights the held-out
 *   logit cosine mean rose from 0.995 to 0.997 over three calibration seeds, the min from 0.989 to 0.995 with the
 *   default one ({@code bench/run Int8Bench}).</li>
 * </ol>
 * Every consumer of a quantized value reads the dequantized one, except softmax, normalizations and reductions
 * (which keep the float value: nothing is quantized inside them) and excluded nodes.
 */
public final class QdqPlanner {
    static final Set<String> WEIGHTED = Set.of("Conv", "MatMul", "Gemm");
    /** Ops whose inputs stay float: quantizing inside them costs accuracy and gains nothing. */
    static final Set<String> KEEP_FLOAT = Set.of("Softmax", "LogSoftmax", "BatchNormalization",
            "LayerNormalization", "InstanceNormalization", "GroupNormalization", "LpNormalization",
            "MeanVarianceNormalization", "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
            "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare", "Pow", "Sqrt", "Div",
            "Exp", "Log", "Reciprocal", "Erf", "TopK", "ArgMax", "ArgMin");
    /** Ops that only move values: the consumers behind them decide. */
    static final Set<String> SHAPE_ONLY = Set.of("Reshape", "Transpose", "Split", "Slice", "Gather", "Squeeze",
            "Unsqueeze", "Flatten", "Identity", "Concat", "Expand");
    /**
     * Ops whose outputs are never negative: a quantized output of theirs goes on the unsigned grid in the ORT layout
     * (twice the resolution of the symmetric one over the same threshold; a SiLU gate or attention probabilities in
     * [0, 1] would otherwise get 127 steps).
     */
    static final Set<String> NON_NEGATIVE = Set.of("Relu", "Sigmoid", "Softmax");
    /** The minimum of SiLU, x * sigmoid(x), reached at x = -1.2785. */
    static final float SILU_MIN = -0.27846454f;
    /** Ops through which a constant weight is read (fp16 storage, shared initializers). */
    static final Set<String> WEIGHT_PASS = Set.of("Cast", "Identity");

    private final GraphProto g;
    private final QdqOptions options;
    private final Map<String, TensorProto> inits = new HashMap<>();
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, List<Integer>> consumers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<String> graphInputs = new HashSet<>();

    private QdqPlanner(ModelProto model, QdqOptions options) {
        this.g = model.getGraph();
        this.options = options;
        for (TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            for (String o : n.getOutputList()) {
                producer.put(o, i);
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                }
            }
        }
        g.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
        g.getInputList().forEach(v -> graphInputs.add(v.getName()));
        graphInputs.removeAll(inits.keySet());
    }

    /** Ops that only a quantized graph holds. */
    static final Set<String> QUANTIZED = Set.of("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
            "ConvInteger", "MatMulInteger", "QLinearConv", "QLinearMatMul");

    /**
     * Plans the Q/DQ layout of {@code model}.
     *
     * @throws IllegalArgumentException when the model is quantized already: quantizing it again would put Q/DQ pairs
     *                                  around its dequantized values and compound the rounding
     */
    public static QdqPlan plan(ModelProto model, QdqOptions options) {
        requireFloat(model);
        return new QdqPlanner(model, options).plan();
    }

    /** Fails when {@code model} holds quantization ops (Q/DQ pairs, QLinear*, *Integer). */
    public static void requireFloat(ModelProto model) {
        long n = 0;
        String example = null;
        for (NodeProto node : model.getGraph().getNodeList()) {
            if (QUANTIZED.contains(node.getOpType()) || node.getOpType().startsWith("QLinear")) {
                n++;
                example = example == null ? node.getOpType() : example;
            }
        }
        if (n > 0) {
            throw new IllegalArgumentException("the model is quantized already (" + n + " quantization nodes such as "
                    + example + "); quantize its float original instead");
        }
    }

    private QdqPlan plan() {
        Set<String> quantized = new LinkedHashSet<>();
        List<QdqPlan.WeightUse> weights = new ArrayList<>();
        List<QdqPlan.BiasUse> biases = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (!WEIGHTED.contains(n.getOpType()) || excluded(n) || readsImage(n)) {
                continue;
            }
            List<String> in = n.getInputList();
            QdqPlan.WeightUse weight = null;
            String activation = null;
            int dataInputs = 2; // Conv/Gemm: x, W (bias handled below); MatMul: A, B
            for (int k = 0; k < Math.min(dataInputs, in.size()); k++) {
                String t = in.get(k);
                String init = constantSource(t);
                if (init != null) {
                    int axis = weightAxis(n, k, inits.get(init));
                    if (k == 1 && axis != Integer.MIN_VALUE) {
                        weight = new QdqPlan.WeightUse(new QdqPlan.NodeInput(i, k), init, axis);
                        weights.add(weight);
                    }
                } else {
                    quantized.add(t);
                    if (k == 0) {
                        activation = t;
                    }
                }
            }
            if (options.target() == QdqTarget.ORT && in.size() > 2 && !in.get(2).isEmpty() && weight != null
                    && activation != null && weight.axis() >= 0) {
                String b = constantSource(in.get(2));
                TensorProto bt = b == null ? null : inits.get(b);
                if (bt != null && bt.getDimsCount() == 1 && OnnxTensors.isFloating(bt.getDataType())
                        && (!n.getOpType().equals("Gemm") || floatAttr(n, "beta", 1f) == 1f)) {
                    biases.add(new QdqPlan.BiasUse(new QdqPlan.NodeInput(i, 2), b, activation, weight));
                }
            }
        }
        // residual inputs of Adds that follow a weighted op
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (!n.getOpType().equals("Add") || n.getInputCount() != 2 || excluded(n)) {
                continue;
            }
            String a = n.getInput(0);
            String b = n.getInput(1);
            if (constantSource(a) != null || constantSource(b) != null) {
                continue;
            }
            int wa = weightedProducer(a);
            int wb = weightedProducer(b);
            if (wa < 0 && wb < 0) {
                continue;
            }
            // the residual is the input not computed by a weighted op; with two, the one computed first
            String residual = wa < 0 ? a : wb < 0 ? b : (wa < wb ? a : b);
            quantized.add(residual);
        }
        if (options.target() == QdqTarget.ORT) {
            for (NodeProto n : g.getNodeList()) {
                if (n.getOpType().equals("Conv") && !excluded(n) && !readsImage(n) && n.getOutputCount() == 1) {
                    String out = reluAfter(n.getOutput(0));
                    if (!graphOutputs.contains(out) && !reachesFloatOnlyOrExcluded(out, new HashSet<>())) {
                        quantized.add(out);
                    }
                }
            }
            quantizeSiluGates(quantized);
        }
        Map<String, List<QdqPlan.NodeInput>> activations = new LinkedHashMap<>();
        for (String t : quantized) {
            List<QdqPlan.NodeInput> readers = new ArrayList<>();
            for (int c : consumers.getOrDefault(t, List.of())) {
                NodeProto n = g.getNode(c);
                if (KEEP_FLOAT.contains(n.getOpType()) || excluded(n)) {
                    continue;
                }
                for (int k = 0; k < n.getInputCount(); k++) {
                    if (n.getInput(k).equals(t)) {
                        readers.add(new QdqPlan.NodeInput(c, k));
                    }
                }
            }
            if (!readers.isEmpty()) {
                activations.put(t, readers);
            }
        }
        Set<String> nonNegative = new LinkedHashSet<>();
        if (options.target() == QdqTarget.ORT) {
            for (String t : activations.keySet()) {
                Integer p = producer.get(t);
                if (p != null && NON_NEGATIVE.contains(g.getNode(p).getOpType())) {
                    nonNegative.add(t);
                }
            }
        }
        Map<String, Float> lowerBounds = new LinkedHashMap<>();
        if (options.target() == QdqTarget.ORT) {
            for (String t : activations.keySet()) {
                Integer p = producer.get(t);
                if (p != null && isSilu(g.getNode(p))) {
                    lowerBounds.put(t, SILU_MIN);
                }
            }
        }
        return new QdqPlan(activations, weights, biases, options.target(), nonNegative, lowerBounds);
    }

    /** ({@link QdqTarget#ORT}) True for a Conv reading a graph input of at most 3 channels: the image. */
    private boolean readsImage(NodeProto n) {
        if (options.target() != QdqTarget.ORT || !n.getOpType().equals("Conv") || n.getInputCount() < 2
                || !graphInputs.contains(n.getInput(0))) {
            return false;
        }
        TensorProto w = inits.get(constantSource(n.getInput(1)));
        return w != null && w.getDimsCount() == 4 && w.getDims(1) * OnnxTensors.intAttr(n, "group", 1) <= 3;
    }

    /** The output of the Relu that alone reads {@code tensor}, or {@code tensor} itself. */
    private String reluAfter(String tensor) {
        List<Integer> cs = consumers.getOrDefault(tensor, List.of());
        if (cs.size() == 1 && !graphOutputs.contains(tensor)) {
            NodeProto c = g.getNode(cs.get(0));
            if (c.getOpType().equals("Relu") && !excluded(c)) {
                return c.getOutput(0);
            }
        }
        return tensor;
    }

    /** Adds the Sigmoid output of every SiLU whose input and products are quantized (see the class comment). */
    private void quantizeSiluGates(Set<String> quantized) {
        for (NodeProto n : g.getNodeList()) {
            if (!n.getOpType().equals("Sigmoid") || excluded(n) || !quantized.contains(n.getInput(0))) {
                continue;
            }
            String x = n.getInput(0);
            String gate = n.getOutput(0);
            List<Integer> readers = consumers.getOrDefault(gate, List.of());
            boolean silu = !readers.isEmpty() && !graphOutputs.contains(gate);
            for (int c : readers) {
                NodeProto m = g.getNode(c);
                silu &= m.getOpType().equals("Mul") && !excluded(m) && m.getInputList().contains(x)
                        && quantized.contains(m.getOutput(0));
            }
            if (silu) {
                quantized.add(gate);
            }
        }
    }

    /** True for the product of a SiLU, {@code x * Sigmoid(x)}. */
    private boolean isSilu(NodeProto mul) {
        if (!mul.getOpType().equals("Mul") || mul.getInputCount() != 2) {
            return false;
        }
        for (int k = 0; k < 2; k++) {
            Integer s = producer.get(mul.getInput(k));
            if (s != null && g.getNode(s).getOpType().equals("Sigmoid")
                    && g.getNode(s).getInput(0).equals(mul.getInput(1 - k))) {
                return true;
            }
        }
        return false;
    }

    private boolean excluded(NodeProto n) {
        return options.exclude().excludes(n.getName());
    }

    /** The initializer behind {@code tensor} (itself, or through Cast/Identity), or null for computed values. */
    String constantSource(String tensor) {
        String t = tensor;
        for (int depth = 0; depth < 8; depth++) {
            if (inits.containsKey(t)) {
                return t;
            }
            Integer p = producer.get(t);
            if (p == null) {
                return null;
            }
            NodeProto n = g.getNode(p);
            if (!WEIGHT_PASS.contains(n.getOpType()) || n.getInputCount() != 1) {
                return null;
            }
            if (n.getOpType().equals("Cast") && OnnxTensors.intAttr(n, "to", 0) != TensorProto.DataType.FLOAT_VALUE) {
                return null;
            }
            t = n.getInput(0);
        }
        return null;
    }

    /**
     * The output-channel axis of a weight, -1 for per-tensor, or MIN_VALUE when the weight is not one we quantize
     * (not float, or a constant A input of MatMul/Gemm).
     */
    private int weightAxis(NodeProto n, int inputIndex, TensorProto w) {
        if (!OnnxTensors.isFloating(w.getDataType()) || inputIndex != 1) {
            return Integer.MIN_VALUE;
        }
        int rank = w.getDimsCount();
        return switch (n.getOpType()) {
            case "Conv" -> 0;
            case "Gemm" -> OnnxTensors.intAttr(n, "transB", 0) != 0 ? 0 : 1;
            case "MatMul" -> rank == 2 ? 1 : -1;
            default -> Integer.MIN_VALUE;
        };
    }

    /** Index of the weighted op computing {@code tensor} (directly or through an Add of a constant bias), or -1. */
    private int weightedProducer(String tensor) {
        Integer p = producer.get(tensor);
        if (p == null) {
            return -1;
        }
        NodeProto n = g.getNode(p);
        if (WEIGHTED.contains(n.getOpType())) {
            return p;
        }
        if (n.getOpType().equals("Add") && n.getInputCount() == 2) {
            boolean c0 = constantSource(n.getInput(0)) != null;
            boolean c1 = constantSource(n.getInput(1)) != null;
            if (c0 != c1) {
                Integer q = producer.get(n.getInput(c0 ? 1 : 0));
                if (q != null && WEIGHTED.contains(g.getNode(q).getOpType())) {
                    return q;
                }
            }
        }
        return -1;
    }

    /** True when {@code tensor} reaches a float-only op or an excluded node, looking through shape-only ops. */
    private boolean reachesFloatOnlyOrExcluded(String tensor, Set<String> seen) {
        if (!seen.add(tensor)) {
            return false;
        }
        for (int c : consumers.getOrDefault(tensor, List.of())) {
            NodeProto n = g.getNode(c);
            if (KEEP_FLOAT.contains(n.getOpType()) || excluded(n)) {
                return true;
            }
            if (SHAPE_ONLY.contains(n.getOpType())) {
                for (String o : n.getOutputList()) {
                    if (reachesFloatOnlyOrExcluded(o, seen)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static float floatAttr(NodeProto n, String name, float dflt) {
        for (var a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }
}
