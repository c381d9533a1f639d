package dev.vitrt.calibration.qdq;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vitrt.models.onnx.OnnxTensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * ({@link QdqTarget#ORT}) Splits a large quantized grouped convolution ({@code DequantizeLinear -> Conv(group G) [->
 * Relu] -> QuantizeLinear}, 1 &lt; G &lt; channels) into G dense ones on the int8 input's channel slices, their int8
 * outputs concatenated: {@code Split -> G x (DequantizeLinear -> Conv [-> Relu] -> QuantizeLinear) -> Concat}. Each
 * becomes a dense QLinearConv; the values are the same (the same sums, scales and rounding per output channel).
 *
 * <p>Why: ONNX Runtime's QLinearConv runs a grouped convolution well below its dense rate: Next-ViT's MHCA (3x3,
 * 32 channels a group) ran at 145 int8 GMAC/s against 300-350 for the dense convolutions around it. Split, its
 * 56x56 convolutions took 0.39 ms instead of 0.63 ms and the 28x28 ones 0.26 instead of 0.32 ms (one thread, batch
 * 1), while for smaller groups (14x14 and 7x7, 2 MMAC and less per group) the Split, the Concat and the extra kernels
 * cost more than they save: only convolutions of at least {@link #MIN_GROUP_MACS} multiply-adds per group and sample
 * are split.
 */
final class GroupedConvSplit {
    /** The doc_string that marks the Split and Concat made here, so that {@link #revert} finds them. */
    static final String MARK = "vitrt: grouped convolution split for ONNX Runtime";
    /** Multiply-adds per group and sample below which a grouped convolution stays as it is. */
    static final long MIN_GROUP_MACS = 4L << 20;

    private GroupedConvSplit() {
    }

    /** Rewrites the grouped convolutions of {@code gb} in place; {@code fresh} makes names unused in the graph. */
    static void apply(GraphProto.Builder gb, UnaryOperator<String> fresh) {
        RewriteIndex ix = RewriteIndex.of(gb);
        Map<NodeProto, List<NodeProto>> replace = new HashMap<>(); // the Q (or Relu's Q) -> its replacement
        Set<NodeProto> drop = new HashSet<>();
        for (NodeProto conv : gb.getNodeList()) {
            Candidate c = candidate(conv, ix);
            if (c == null) {
                continue;
            }
            replace.put(c.q, split(c, ix.inits(), fresh, gb));
            drop.add(conv);
            if (c.relu != null) {
                drop.add(c.relu);
            }
        }
        RewriteIndex.replaceNodes(gb, replace, drop);
    }

    private record Candidate(NodeProto conv, NodeProto x, NodeProto w, NodeProto b, NodeProto relu, NodeProto q,
                             int groups) {
    }

    private static Candidate candidate(NodeProto conv, RewriteIndex ix) {
        Map<String, NodeProto> producer = ix.producer();
        Map<String, TensorProto> inits = ix.inits();
        Set<String> outputs = ix.outputs();
        int groups = (int) OnnxTensors.intAttr(conv, "group", 1);
        if (!conv.getOpType().equals("Conv") || groups <= 1 || conv.getInputCount() < 2) {
            return null;
        }
        NodeProto x = producer.get(conv.getInput(0));
        NodeProto w = producer.get(conv.getInput(1));
        NodeProto b = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty() ? producer.get(conv.getInput(2)) : null;
        NodeProto q = x == null ? null : producer.get(x.getInput(0));
        if (!isDq(x) || !isDq(w) || (conv.getInputCount() > 2 && !conv.getInput(2).isEmpty() && !isDq(b))
                || q == null || !q.getOpType().equals("QuantizeLinear") || !inits.containsKey(w.getInput(0))) {
            return null;
        }
        TensorProto weight = inits.get(w.getInput(0));
        if (weight.getDimsCount() != 4 || weight.getDims(0) % groups != 0
                || weight.getDims(0) == groups // depthwise: ORT has a fast kernel for it
                || !sliceable(w, inits, weight.getDims(0)) || (b != null && !sliceable(b, inits, weight.getDims(0)))) {
            return null;
        }
        NodeProto relu = null;
        String out = conv.getOutput(0);
        List<NodeProto> after = ix.readersOf(out);
        if (after.size() == 1 && after.get(0).getOpType().equals("Relu") && !outputs.contains(out)) {
            relu = after.get(0);
            out = relu.getOutput(0);
            after = ix.readersOf(out);
        }
        if (after.size() != 1 || !after.get(0).getOpType().equals("QuantizeLinear") || outputs.contains(out)
                || outputs.contains(conv.getOutput(0))) {
            return null;
        }
        long pixels = spatial(ix.shapes().get(conv.getOutput(0)));
        long perGroup = weight.getDims(0) / groups * weight.getDims(1) * weight.getDims(2) * weight.getDims(3);
        if (pixels <= 0 || pixels * perGroup < MIN_GROUP_MACS) {
            return null;
        }
        return new Candidate(conv, x, w, b, relu, after.get(0), groups);
    }

    private static List<NodeProto> split(Candidate c, Map<String, TensorProto> inits, UnaryOperator<String> fresh,
                                         GraphProto.Builder gb) {
        String prefix = QdqInserter.modulePrefix(c.conv.getName());
        String xq = c.x.getInput(0);
        TensorProto weight = inits.get(c.w.getInput(0));
        long inPerGroup = weight.getDims(1);
        int outPerGroup = (int) (weight.getDims(0) / c.groups);
        List<NodeProto> nodes = new ArrayList<>();
        String sizes = fresh.apply(prefix + "group_sizes");
        TensorProto.Builder st = TensorProto.newBuilder().setName(sizes).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(c.groups);
        List<String> parts = new ArrayList<>();
        List<String> results = new ArrayList<>();
        for (int g = 0; g < c.groups; g++) {
            st.addInt64Data(inPerGroup);
            parts.add(fresh.apply(xq + "_group" + g));
        }
        gb.addInitializer(st);
        nodes.add(NodeProto.newBuilder().setOpType("Split").setName(fresh.apply(prefix + "Split")).addInput(xq)
                .addInput(sizes).addAllOutput(parts).addAttribute(OnnxTensors.intAttribute("axis", 1))
                .setDocString(MARK).build());
        for (int g = 0; g < c.groups; g++) {
            String tag = "_group" + g;
            String xd = fresh.apply(parts.get(g) + "_dequantized");
            nodes.add(c.x.toBuilder().setName(fresh.apply(c.x.getName() + tag)).setInput(0, parts.get(g))
                    .setOutput(0, xd).build());
            NodeProto.Builder conv = c.conv.toBuilder().setName(fresh.apply(c.conv.getName() + tag)).setInput(0, xd)
                    .setOutput(0, fresh.apply(c.conv.getOutput(0) + tag));
            conv.setInput(1, sliced(c.w, g, outPerGroup, inits, fresh, gb, nodes, tag));
            if (c.b != null) {
                conv.setInput(2, sliced(c.b, g, outPerGroup, inits, fresh, gb, nodes, tag));
            }
            for (int a = 0; a < conv.getAttributeCount(); a++) {
                if (conv.getAttribute(a).getName().equals("group")) {
                    conv.setAttribute(a, OnnxTensors.intAttribute("group", 1));
                }
            }
            NodeProto cv = conv.build();
            nodes.add(cv);
            String y = cv.getOutput(0);
            if (c.relu != null) {
                String r = fresh.apply(c.relu.getOutput(0) + tag);
                nodes.add(c.relu.toBuilder().setName(fresh.apply(c.relu.getName() + tag)).setInput(0, y)
                        .setOutput(0, r).build());
                y = r;
            }
            String yq = fresh.apply(c.q.getOutput(0) + tag);
            nodes.add(c.q.toBuilder().setName(fresh.apply(c.q.getName() + tag)).setInput(0, y).setOutput(0, yq)
                    .build());
            results.add(yq);
        }
        nodes.add(NodeProto.newBuilder().setOpType("Concat").setName(fresh.apply(prefix + "Concat"))
                .addAllInput(results).addOutput(c.q.getOutput(0)).addAttribute(OnnxTensors.intAttribute("axis", 1))
                .setDocString(MARK).build());
        return nodes;
    }

    /**
     * Turns the splits {@link #apply} made back into grouped convolutions (for TensorRT, which runs grouped int8
     * convolutions well and takes no int8 Split or Concat between a QuantizeLinear and a DequantizeLinear).
     */
    static void revert(GraphProto.Builder gb) {
        RewriteIndex ix = RewriteIndex.of(gb);
        Map<String, NodeProto> producer = ix.producer();
        Map<String, List<NodeProto>> readers = ix.readers();
        Map<String, TensorProto> inits = ix.inits();
        Map<NodeProto, List<NodeProto>> replace = new HashMap<>(); // the Concat -> the grouped convolution's nodes
        Set<NodeProto> drop = new HashSet<>();
        for (NodeProto split : gb.getNodeList()) {
            if (!split.getOpType().equals("Split") || !split.getDocString().equals(MARK)) {
                continue;
            }
            List<NodeProto[]> groups = new ArrayList<>(); // {DQ, Conv, Relu or null, Q}
            NodeProto concat = null;
            for (String part : split.getOutputList()) {
                NodeProto dq = readers.get(part).get(0);
                NodeProto conv = readers.get(dq.getOutput(0)).get(0);
                NodeProto next = readers.get(conv.getOutput(0)).get(0);
                NodeProto relu = next.getOpType().equals("Relu") ? next : null;
                NodeProto q = relu != null ? readers.get(relu.getOutput(0)).get(0) : next;
                concat = readers.get(q.getOutput(0)).get(0);
                groups.add(new NodeProto[] {dq, conv, relu, q});
                drop.addAll(java.util.Arrays.asList(dq, conv, relu, q));
            }
            drop.add(split);
            NodeProto[] first = groups.get(0);
            List<NodeProto> nodes = new ArrayList<>();
            String x = split.getInput(0) + "_dequantized_" + split.getName();
            nodes.add(first[0].toBuilder().setName(untagged(first[0].getName())).setInput(0, split.getInput(0))
                    .setOutput(0, x).build());
            NodeProto.Builder conv = first[1].toBuilder().setName(untagged(first[1].getName())).setInput(0, x);
            for (int k = 1; k < first[1].getInputCount(); k++) {
                int input = k;
                List<NodeProto> dqs = groups.stream().map(g -> producer.get(g[1].getInput(input))).toList();
                String joined = untagged(dqs.get(0).getOutput(0));
                NodeProto.Builder dq = dqs.get(0).toBuilder().setName(untagged(dqs.get(0).getName())).setOutput(0, joined);
                for (int j = 0; j < dq.getInputCount(); j++) {
                    int at = j;
                    TensorProto t = inits.get(dq.getInput(j));
                    if (t != null && t.getDimsCount() > 0) {
                        List<TensorProto> slices = dqs.stream().map(d -> inits.get(d.getInput(at))).toList();
                        TensorProto whole = joined(slices, untagged(t.getName()));
                        gb.addInitializer(whole);
                        dq.setInput(j, whole.getName());
                    }
                }
                nodes.add(dq.build());
                conv.setInput(k, joined);
            }
            for (int a = 0; a < conv.getAttributeCount(); a++) {
                if (conv.getAttribute(a).getName().equals("group")) {
                    conv.setAttribute(a, OnnxTensors.intAttribute("group", groups.size()));
                }
            }
            String y = untagged(first[1].getOutput(0));
            nodes.add(conv.setOutput(0, y).build());
            if (first[2] != null) {
                String r = untagged(first[2].getOutput(0));
                nodes.add(first[2].toBuilder().setName(untagged(first[2].getName())).setInput(0, y).setOutput(0, r)
                        .build());
                y = r;
            }
            nodes.add(first[3].toBuilder().setName(untagged(first[3].getName())).setInput(0, y)
                    .setOutput(0, concat.getOutput(0)).build());
            replace.put(concat, nodes);
        }
        RewriteIndex.replaceNodes(gb, replace, drop);
    }

    /** A name without the group tag {@link #apply} gave it. */
    private static String untagged(String name) {
        int at = name.lastIndexOf("_group0");
        return at > 0 ? name.substring(0, at) + name.substring(at + "_group0".length()) : name;
    }

    /** The initializers' raw data joined along axis 0, under {@code name}. */
    private static TensorProto joined(List<TensorProto> slices, String name) {
        com.google.protobuf.ByteString raw = com.google.protobuf.ByteString.EMPTY;
        long rows = 0;
        for (TensorProto t : slices) {
            raw = raw.concat(t.getRawData());
            rows += t.getDims(0);
        }
        return slices.get(0).toBuilder().setName(name).setDims(0, rows).setRawData(raw).build();
    }

    /** A DequantizeLinear of group {@code g}'s rows of the one {@code dq} reads (per-channel parameters sliced too). */
    private static String sliced(NodeProto dq, int g, int rows, Map<String, TensorProto> inits,
                                 UnaryOperator<String> fresh, GraphProto.Builder gb, List<NodeProto> nodes, String tag) {
        NodeProto.Builder b = dq.toBuilder().setName(fresh.apply(dq.getName() + tag));
        for (int k = 0; k < dq.getInputCount(); k++) {
            TensorProto t = inits.get(dq.getInput(k));
            if (t != null && t.getDimsCount() > 0) {
                TensorProto s = rows(t, g * rows, rows, fresh.apply(t.getName() + tag));
                gb.addInitializer(s);
                b.setInput(k, s.getName());
            }
        }
        String out = fresh.apply(dq.getOutput(0) + tag);
        nodes.add(b.setOutput(0, out).build());
        return out;
    }

    /** Rows {@code [from, from + count)} along axis 0 of a raw-data initializer. */
    private static TensorProto rows(TensorProto t, int from, int count, String name) {
        int rowBytes = t.getRawData().size() / (int) t.getDims(0);
        TensorProto.Builder b = t.toBuilder().setName(name).setDims(0, count)
                .setRawData(t.getRawData().substring(from * rowBytes, (from + count) * rowBytes));
        return b.build();
    }

    /** True when the constant inputs of {@code dq} are raw-data initializers, per channel ones of {@code rows}. */
    private static boolean sliceable(NodeProto dq, Map<String, TensorProto> inits, long rows) {
        if (!inits.containsKey(dq.getInput(0))) {
            return false;
        }
        for (String in : dq.getInputList()) {
            TensorProto t = inits.get(in);
            if (t == null || !t.hasRawData() || (t.getDimsCount() > 0 && t.getDims(0) != rows)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDq(NodeProto n) {
        return n != null && n.getOpType().equals("DequantizeLinear");
    }

    /** Output pixels per sample (H x W) of a 4-D value, or -1 when unknown. */
    private static long spatial(ValueInfoProto v) {
        if (v == null || !v.getType().hasTensorType() || v.getType().getTensorType().getShape().getDimCount() != 4) {
            return -1;
        }
        var s = v.getType().getTensorType().getShape();
        if (!s.getDim(2).hasDimValue() || !s.getDim(3).hasDimValue()) {
            return -1;
        }
        return s.getDim(2).getDimValue() * s.getDim(3).getDimValue();
    }
}
