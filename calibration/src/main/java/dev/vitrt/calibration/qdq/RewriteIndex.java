package dev.vitrt.calibration.qdq;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who produces and who reads each value of an ONNX graph (the protobuf; models' GraphIndex does this for its own
 * Graph, runtime's OnnxGraphIndex reads node names and op types from the wire format to fold profiles),
 * its initializers, known shapes (value_info and graph inputs) and
 * outputs: what the ORT-layout rewrites look up.
 */
record RewriteIndex(Map<String, NodeProto> producer, Map<String, List<NodeProto>> readers,
                  Map<String, TensorProto> inits, Map<String, ValueInfoProto> shapes, Set<String> outputs) {

    static RewriteIndex of(GraphProto.Builder gb) {
        Map<String, NodeProto> producer = new HashMap<>();
        Map<String, List<NodeProto>> readers = new HashMap<>();
        for (NodeProto n : gb.getNodeList()) {
            n.getOutputList().forEach(o -> producer.put(o, n));
            n.getInputList().forEach(i -> readers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
        }
        Map<String, TensorProto> inits = new HashMap<>();
        gb.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Map<String, ValueInfoProto> shapes = new HashMap<>();
        gb.getValueInfoList().forEach(v -> shapes.put(v.getName(), v));
        gb.getInputList().forEach(v -> shapes.put(v.getName(), v));
        Set<String> outputs = new HashSet<>();
        gb.getOutputList().forEach(v -> outputs.add(v.getName()));
        return new RewriteIndex(producer, readers, inits, shapes, outputs);
    }

    /** The readers of {@code value}, none when nobody reads it. */
    List<NodeProto> readersOf(String value) {
        return readers.getOrDefault(value, List.of());
    }

    /**
     * Rewrites the node list of {@code gb}: each key of {@code replace} gives way to its nodes, the nodes of
     * {@code drop} go; then drops what nobody reads any more.
     */
    static void replaceNodes(GraphProto.Builder gb, Map<NodeProto, List<NodeProto>> replace, Set<NodeProto> drop) {
        if (replace.isEmpty() && drop.isEmpty()) {
            return;
        }
        List<NodeProto> nodes = new ArrayList<>(gb.getNodeList());
        gb.clearNode();
        for (NodeProto n : nodes) {
            if (replace.containsKey(n)) {
                gb.addAllNode(replace.get(n));
            } else if (!drop.contains(n)) {
                gb.addNode(n);
            }
        }
        QdqInserter.removeDead(gb);
    }
}
