package dev.vitrt.calibration.qdq;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.models.onnx.OnnxTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a float graph into an explicitly quantized one from a {@link QdqPlan} and calibrated activation scales:
 * QuantizeLinear/DequantizeLinear pairs on activations (per tensor, int8, zero point 0), DequantizeLinear on int8
 * weights (per output channel), and for the ONNX Runtime layout int32 biases. Node names keep the zoo's
 * {@code <module path>/<op>} scheme so that profilers fold them into the right block.
 */
public final class QdqInserter {
    /** Per-axis QuantizeLinear/DequantizeLinear need opset 13. */
    public static final int MIN_OPSET = 13;

    private final ModelProto model;
    private final GraphProto g;
    private final QdqPlan plan;
    private final Map<String, Float> scales;
    private final Map<String, TensorProto> inits = new LinkedHashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final List<TensorProto> newInits = new ArrayList<>();

    private QdqInserter(ModelProto model, QdqPlan plan, Map<String, Float> scales) {
        this.model = model;
        this.g = model.getGraph();
        this.plan = plan;
        this.scales = scales;
        for (TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
            usedNames.add(t.getName());
        }
        for (NodeProto n : g.getNodeList()) {
            usedNames.add(n.getName());
            usedNames.addAll(n.getOutputList());
        }
        g.getInputList().forEach(v -> usedNames.add(v.getName()));
    }

    /**
     * The quantized model.
     *
     * @param scales activation scale by tensor name; every tensor of {@link QdqPlan#activationTensors()} needs one
     * @throws IllegalArgumentException naming the tensor when a scale is missing, or when the opset is too old
     */
    public static ModelProto insert(ModelProto model, QdqPlan plan, Map<String, Float> scales) {
        return new QdqInserter(model, plan, scales).insert();
    }

    private ModelProto insert() {
        int opset = defaultOpset(model);
        if (opset < MIN_OPSET) {
            throw new IllegalArgumentException("the model's opset " + opset + " is older than " + MIN_OPSET
                    + ", which per-channel QuantizeLinear/DequantizeLinear need; re-export it with opset 13 or newer");
        }
        int nodes = g.getNodeCount();
        // rewired inputs: (node, input) -> new tensor name
        Map<QdqPlan.NodeInput, String> rewire = new HashMap<>();
        // nodes to emit before node i (weight and bias DQs) and after node i (activation Q/DQ); -1 = graph start
        Map<Integer, List<NodeProto>> before = new HashMap<>();
        Map<Integer, List<NodeProto>> after = new HashMap<>();
        Map<String, Integer> producerOf = new HashMap<>();
        for (int i = 0; i < nodes; i++) {
            for (String o : g.getNode(i).getOutputList()) {
                producerOf.put(o, i);
            }
        }

        for (Map.Entry<String, List<QdqPlan.NodeInput>> e : plan.activations().entrySet()) {
            String t = e.getKey();
            Float scale = scales.get(t);
            if (scale == null) {
                throw new IllegalArgumentException("no calibration scale for tensor '" + t + "'");
            }
            if (!(scale > 0) || scale.isInfinite()) {
                throw new IllegalArgumentException("calibration scale of tensor '" + t + "' is not a positive number");
            }
            Integer p = producerOf.get(t);
            String prefix = modulePrefix(p != null ? g.getNode(p).getName() : g.getNode(e.getValue().get(0).node()).getName());
            String scaleName = fresh(t + "_scale");
            String zpName = fresh(t + "_zero_point");
            newInits.add(OnnxTensors.floatTensor(scaleName, new long[0], new float[] {activationScale(t)}));
            newInits.add(activationZeroPoint(zpName, t));
            String q = fresh(t + "_quantized");
            List<NodeProto> emitted = after.computeIfAbsent(p == null ? -1 : p, k -> new ArrayList<>());
            emitted.add(node("QuantizeLinear", fresh(prefix + "QuantizeLinear"), List.of(t, scaleName, zpName), q, -1));
            String dq = null;
            for (QdqPlan.NodeInput use : e.getValue()) {
                if (dq == null) {
                    dq = fresh(t + "_dequantized");
                    emitted.add(node("DequantizeLinear", fresh(prefix + "DequantizeLinear"), List.of(q, scaleName, zpName), dq, -1));
                }
                rewire.put(use, dq);
            }
        }

        Map<QdqPlan.WeightUse, float[]> weightScales = new HashMap<>();
        Map<String, WeightQuantizer.Quantized> quantizedWeights = new HashMap<>();
        Map<String, String[]> weightInits = new HashMap<>(); // initializer -> {values, scale, zero point}
        for (QdqPlan.WeightUse w : plan.weights()) {
            String key = w.initializer() + "#" + w.axis();
            TensorProto src = inits.get(w.initializer());
            long[] dims = OnnxTensors.dims(src);
            WeightQuantizer.Quantized qw = quantizedWeights.computeIfAbsent(key,
                    k -> WeightQuantizer.quantize(OnnxTensors.floats(src), dims, w.axis()));
            String[] names = weightInits.computeIfAbsent(key, k -> {
                String v = fresh(w.initializer() + "_quantized");
                String s = fresh(w.initializer() + "_scale");
                String z = fresh(w.initializer() + "_zero_point");
                long[] sd = w.axis() < 0 ? new long[0] : new long[] {qw.scales().length};
                newInits.add(OnnxTensors.int8Tensor(v, dims, qw.values()));
                newInits.add(OnnxTensors.floatTensor(s, sd, qw.scales()));
                newInits.add(OnnxTensors.int8Tensor(z, sd, new byte[qw.scales().length]));
                return new String[] {v, s, z};
            });
            weightScales.put(w, qw.scales());
            NodeProto consumer = g.getNode(w.use().node());
            String dq = fresh(w.initializer() + "_dequantized");
            before.computeIfAbsent(w.use().node(), k -> new ArrayList<>()).add(node("DequantizeLinear",
                    fresh(modulePrefix(consumer.getName()) + "weight/DequantizeLinear"),
                    List.of(names[0], names[1], names[2]), dq, w.axis() < 0 ? -1 : w.axis()));
            rewire.put(w.use(), dq);
        }

        for (QdqPlan.BiasUse b : plan.biases()) {
            float sx = activationScale(b.activation());
            float[] sw = weightScales.get(b.weight());
            float[] bias = OnnxTensors.floats(inits.get(b.initializer()));
            if (sw == null || (sw.length != bias.length && sw.length != 1)) {
                continue; // shapes do not line up: leave the bias in float
            }
            float[] bs = new float[bias.length];
            int[] bq = new int[bias.length];
            for (int c = 0; c < bias.length; c++) {
                bs[c] = sx * sw[sw.length == 1 ? 0 : c];
                bq[c] = (int) Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE, Math.round((double) bias[c] / bs[c])));
            }
            String v = fresh(b.initializer() + "_quantized");
            String s = fresh(b.initializer() + "_scale");
            newInits.add(int32Tensor(v, bq));
            newInits.add(OnnxTensors.floatTensor(s, new long[] {bias.length}, bs));
            String dq = fresh(b.initializer() + "_dequantized");
            NodeProto consumer = g.getNode(b.use().node());
            before.computeIfAbsent(b.use().node(), k -> new ArrayList<>()).add(node("DequantizeLinear",
                    fresh(modulePrefix(consumer.getName()) + "bias/DequantizeLinear"), List.of(v, s), dq, 0));
            rewire.put(b.use(), dq);
        }

        GraphProto.Builder out = g.toBuilder().clearNode();
        out.addAllNode(after.getOrDefault(-1, List.of()));
        for (int i = 0; i < nodes; i++) {
            out.addAllNode(before.getOrDefault(i, List.of()));
            NodeProto n = g.getNode(i);
            NodeProto.Builder nb = n.toBuilder();
            for (int k = 0; k < n.getInputCount(); k++) {
                String r = rewire.get(new QdqPlan.NodeInput(i, k));
                if (r != null) {
                    nb.setInput(k, r);
                }
            }
            out.addNode(nb);
            out.addAllNode(after.getOrDefault(i, List.of()));
        }
        out.addAllInitializer(newInits);
        removeDead(out);
        if (plan.target() == QdqTarget.ORT) {
            AveragePoolAsConv.apply(out, this::fresh);
            GroupedConvSplit.apply(out, this::fresh);
        }
        ModelProto.Builder mb = model.toBuilder().setGraph(out);
        return OnnxModels.withMetadata(mb, OnnxModels.metadata(model).withQdq(plan.target().id())).build();
    }

    /** Drops nodes whose outputs nobody reads (Casts of replaced fp16 weights) and initializers nobody reads. */
    static void removeDead(GraphProto.Builder gb) {
        Set<String> graphOutputs = new HashSet<>();
        for (ValueInfoProto v : gb.getOutputList()) {
            graphOutputs.add(v.getName());
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            Set<String> read = new HashSet<>(graphOutputs);
            for (NodeProto n : gb.getNodeList()) {
                read.addAll(n.getInputList());
            }
            for (int i = gb.getNodeCount() - 1; i >= 0; i--) {
                NodeProto n = gb.getNode(i);
                if (n.getOutputList().stream().noneMatch(read::contains)) {
                    gb.removeNode(i);
                    changed = true;
                }
            }
        }
        Set<String> read = new HashSet<>(graphOutputs);
        for (NodeProto n : gb.getNodeList()) {
            read.addAll(n.getInputList());
        }
        for (int i = gb.getInitializerCount() - 1; i >= 0; i--) {
            if (!read.contains(gb.getInitializer(i).getName())) {
                gb.removeInitializer(i);
            }
        }
    }

    /**
     * Zero point of an activation: int8 0, or for ONNX Runtime uint8 128, the same symmetric grid shifted into the
     * encoding its x86 kernels take. (ORT converts int8 Q/DQ pairs to uint8 itself, but only where a Q feeds a single
     * DQ; a value read by two consumers would otherwise stay int8 and block the QLinearConv fusion of its producer.)
     * A non-negative value gets uint8 zero point 0, a value bounded below where 0 falls on its grid.
     */
    private TensorProto activationZeroPoint(String name, String t) {
        if (plan.target() == QdqTarget.ORT) {
            int zp = plan.nonNegative().contains(t) ? 0 : plan.lowerBounds().containsKey(t) ? boundedZeroPoint(t) : 128;
            return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.UINT8_VALUE)
                    .setRawData(ByteString.copyFrom(new byte[] {(byte) zp})).build();
        }
        return OnnxTensors.int8Tensor(name, new long[0], new byte[] {0});
    }

    /**
     * The scale written for activation {@code t}: the calibrated one (threshold / 127), for a non-negative value on
     * the uint8 grid with zero point 0 threshold / 255, and for a value bounded below (threshold - floor) / 255.
     */
    private float activationScale(String t) {
        float s = scales.get(t);
        if (plan.lowerBounds().containsKey(t)) {
            return (s * 127f - floor(t)) / 255f;
        }
        return plan.nonNegative().contains(t) ? s * UNSIGNED_STEPS : s;
    }

    /**
     * The grid's floor for a value bounded below: the bound, or minus the threshold when that is higher (a SiLU of
     * inputs that stay small, as in a seeded network, takes values in about [-threshold, threshold]: a floor at the
     * bound would spend the grid on negatives it never takes).
     */
    private float floor(String t) {
        return Math.max(plan.lowerBounds().get(t), -scales.get(t) * 127f);
    }

    /** The uint8 zero point of a value bounded below: where 0 falls on the grid from the floor up. */
    private int boundedZeroPoint(String t) {
        return Math.max(1, Math.min(254, Math.round(-floor(t) / activationScale(t))));
    }

    /** 127 / 255: from the symmetric grid's step to the unsigned grid's over the same threshold. */
    static final float UNSIGNED_STEPS = 127f / 255f;

    private static NodeProto node(String op, String name, List<String> inputs, String output, int axis) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
        if (axis >= 0) {
            b.addAttribute(OnnxTensors.intAttribute("axis", axis));
        }
        return b.build();
    }

    private static TensorProto int32Tensor(String name, int[] values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asIntBuffer().put(values);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT32_VALUE)
                .addDims(values.length).setRawData(ByteString.copyFrom(bb.array())).build();
    }

    /** "stages.0.mlp.fc1/Conv" gives "stages.0.mlp.fc1/"; a name without '/' gives "". */
    static String modulePrefix(String nodeName) {
        int slash = nodeName.lastIndexOf('/');
        return slash >= 0 ? nodeName.substring(0, slash + 1) : "";
    }

    private String fresh(String base) {
        String name = base;
        for (int k = 1; !usedNames.add(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }

    static int defaultOpset(ModelProto m) {
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        return 0;
    }
}
