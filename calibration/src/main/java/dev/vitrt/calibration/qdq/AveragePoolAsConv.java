package dev.vitrt.calibration.qdq;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vitrt.models.onnx.OnnxTensors;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * ({@link QdqTarget#ORT}) Turns each quantized average pool, {@code DequantizeLinear -> AveragePool ->
 * QuantizeLinear} (a Reshape may come between the first two), into a depthwise convolution with the same window and strides and every weight 1/window (int8
 * 127 at a per-channel scale of 1/(window x 127)), which ONNX Runtime runs as a depthwise QLinearConv.
 *
 * <p>Why: ONNX Runtime fuses the pool into a QLinearAveragePool, a slow kernel: in INT8 Next-ViT-S its nine pools
 * (the stride-2 pools of the stage transitions and E-MHSA's token pooling) took 11% of the graph's kernel time at one
 * thread, 1.05 ms for the 56x56x288 pool alone, ten times its float AveragePool. The convolution computes the same
 * average: an exact integer sum of the window, scaled once (rather than the average of values rounded one by one).
 *
 * <p>Only pools the rewrite is exact for: 2-D windows without padding (count_include_pad is then moot), a known
 * channel count (from the value_info or graph input of the pooled tensor) and, in ceil mode, windows that tile the
 * known spatial size (no partial window at the edge); other pools stay.
 */
final class AveragePoolAsConv {
    /** The doc_string that marks the convolutions made here, so that {@link #revert} finds them. */
    static final String MARK = "vitrt: AveragePool as a depthwise convolution for ONNX Runtime";

    private AveragePoolAsConv() {
    }

    /** Rewrites the pools of {@code gb} in place; {@code fresh} makes names unused in the graph. */
    static void apply(GraphProto.Builder gb, UnaryOperator<String> fresh) {
        RewriteIndex ix = RewriteIndex.of(gb);
        Map<String, NodeProto> producer = ix.producer();
        Map<String, ValueInfoProto> shapes = ix.shapes();
        for (int i = 0; i < gb.getNodeCount(); i++) {
            NodeProto pool = gb.getNode(i);
            if (!pool.getOpType().equals("AveragePool") || pool.getInputCount() != 1) {
                continue;
            }
            long[] kernel = ints(pool, "kernel_shape");
            long[] strides = ints(pool, "strides");
            long[] pads = ints(pool, "pads");
            String autoPad = string(pool, "auto_pad");
            if (kernel == null || kernel.length != 2
                    || (pads != null && Arrays.stream(pads).anyMatch(p -> p != 0))
                    || !(autoPad.isEmpty() || autoPad.equals("NOTSET") || autoPad.equals("VALID"))
                    || ints(pool, "dilations") != null) {
                continue;
            }
            NodeProto dq = producer.get(pool.getInput(0));
            if (dq != null && dq.getOpType().equals("Reshape")) {
                dq = producer.get(dq.getInput(0)); // ONNX Runtime moves a DequantizeLinear past a Reshape
            }
            List<NodeProto> after = ix.readersOf(pool.getOutput(0));
            if (dq == null || !dq.getOpType().equals("DequantizeLinear") || after.isEmpty()
                    || ix.outputs().contains(pool.getOutput(0))
                    || after.stream().anyMatch(r -> !r.getOpType().equals("QuantizeLinear"))) {
                continue;
            }
            long[] shape = shape(pool.getInput(0), dq, producer, shapes);
            long[] step = strides != null ? strides : new long[] {1, 1};
            if (shape == null || shape[1] <= 0 || (OnnxTensors.intAttr(pool, "ceil_mode", 0) != 0
                    && !wholeWindows(shape, kernel, step))) {
                continue;
            }
            long channels = shape[1];
            int window = (int) (kernel[0] * kernel[1]);
            int c = (int) channels;
            long[] dims = {c, 1, kernel[0], kernel[1]};
            byte[] values = new byte[c * window];
            Arrays.fill(values, (byte) 127);
            float[] scale = new float[c];
            Arrays.fill(scale, (float) (1.0 / window / 127.0));
            String prefix = QdqInserter.modulePrefix(pool.getName());
            String w = fresh.apply(prefix + "pool_weight_quantized");
            String s = fresh.apply(prefix + "pool_weight_scale");
            String z = fresh.apply(prefix + "pool_weight_zero_point");
            String wdq = fresh.apply(prefix + "pool_weight_dequantized");
            gb.addInitializer(OnnxTensors.int8Tensor(w, dims, values));
            gb.addInitializer(OnnxTensors.floatTensor(s, new long[] {c}, scale));
            gb.addInitializer(OnnxTensors.int8Tensor(z, new long[] {c}, new byte[c]));
            NodeProto weight = NodeProto.newBuilder().setOpType("DequantizeLinear")
                    .setName(fresh.apply(prefix + "weight/DequantizeLinear")).addInput(w).addInput(s).addInput(z)
                    .addOutput(wdq).addAttribute(OnnxTensors.intAttribute("axis", 0)).build();
            NodeProto.Builder conv = NodeProto.newBuilder().setOpType("Conv").setName(pool.getName())
                    .addInput(pool.getInput(0)).addInput(wdq).addOutput(pool.getOutput(0))
                    .addAttribute(intsAttribute("kernel_shape", kernel))
                    .addAttribute(intsAttribute("strides", step))
                    .addAttribute(intsAttribute("pads", new long[4]))
                    .addAttribute(OnnxTensors.intAttribute("group", c)).setDocString(MARK);
            gb.setNode(i, conv.build());
            gb.addNode(i, weight);
            i++;
        }
    }

    /**
     * Turns the convolutions {@link #apply} made back into AveragePools (for TensorRT, whose own pool is fast), and
     * drops their weights.
     */
    static void revert(GraphProto.Builder gb) {
        for (int i = 0; i < gb.getNodeCount(); i++) {
            NodeProto n = gb.getNode(i);
            if (!n.getOpType().equals("Conv") || !n.getDocString().equals(MARK)) {
                continue;
            }
            gb.setNode(i, NodeProto.newBuilder().setOpType("AveragePool").setName(n.getName()).addInput(n.getInput(0))
                    .addOutput(n.getOutput(0)).addAttribute(intsAttribute("kernel_shape", ints(n, "kernel_shape")))
                    .addAttribute(intsAttribute("strides", ints(n, "strides")))
                    .addAttribute(intsAttribute("pads", ints(n, "pads"))).build());
        }
        QdqInserter.removeDead(gb);
    }

    /** True when the windows tile each spatial dim exactly (ceil mode then adds no partial window). */
    private static boolean wholeWindows(long[] shape, long[] kernel, long[] strides) {
        for (int k = 0; k < 2; k++) {
            if (shape[2 + k] <= 0 || (shape[2 + k] - kernel[k]) % strides[k] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Shape (-1 for unknown dims) of the pool's input {@code x}: its value_info, or when {@code x} is the output of
     * {@code dq}, that of the tensor the QuantizeLinear before it read; null when unknown or not 4-D.
     */
    private static long[] shape(String x, NodeProto dq, Map<String, NodeProto> producer,
                                Map<String, ValueInfoProto> shapes) {
        ValueInfoProto v = shapes.get(x);
        NodeProto q = producer.get(dq.getInput(0));
        if (v == null && dq.getOutput(0).equals(x) && q != null && q.getOpType().equals("QuantizeLinear")) {
            v = shapes.get(q.getInput(0));
        }
        if (v == null || !v.getType().hasTensorType() || v.getType().getTensorType().getShape().getDimCount() != 4) {
            return null;
        }
        long[] shape = new long[4];
        for (int k = 0; k < 4; k++) {
            var d = v.getType().getTensorType().getShape().getDim(k);
            shape[k] = d.hasDimValue() ? d.getDimValue() : -1;
        }
        return shape;
    }

    private static long[] ints(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
        }
        return null;
    }

    private static String string(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getS().toStringUtf8();
            }
        }
        return "";
    }

    private static AttributeProto intsAttribute(String name, long[] values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }
}
