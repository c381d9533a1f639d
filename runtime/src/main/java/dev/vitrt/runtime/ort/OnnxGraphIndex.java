package dev.vitrt.runtime.ort;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of an ONNX graph (name, op type, output tensors), read straight from the protobuf wire format so that the
 * runtime needs no ONNX protobuf classes. Used to map the node names ONNX Runtime reports after its own rewrites back
 * to the graph's node names: a fused or re-laid-out node (e.g. {@code X_nchwc}) is named by ONNX Runtime after a
 * tensor, and the tensor's producer in the original graph carries the block path.
 */
public final class OnnxGraphIndex {
    /** One node: its name, operator type and output tensor names. */
    public record Node(String name, String opType, List<String> outputs) {
    }

    private final List<Node> nodes;
    private final Map<String, Node> byName = new HashMap<>();
    private final Map<String, Node> producers = new HashMap<>();

    private OnnxGraphIndex(List<Node> nodes) {
        this.nodes = Collections.unmodifiableList(nodes);
        for (Node n : nodes) {
            byName.putIfAbsent(n.name, n);
            for (String o : n.outputs) {
                producers.put(o, n);
            }
        }
    }

    /** Reads the main graph's nodes of an .onnx file. */
    public static OnnxGraphIndex read(Path onnx) throws IOException {
        try (FileChannel ch = FileChannel.open(onnx, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new IOException(onnx + ": ONNX file over 2 GiB");
            }
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            return parse(buf, onnx.toString());
        }
    }

    static OnnxGraphIndex parse(ByteBuffer model, String source) throws IOException {
        List<Node> nodes = new ArrayList<>();
        try {
            Wire m = new Wire(model);
            while (m.more()) {
                int tag = m.tag();
                if (tag >>> 3 == 7 && (tag & 7) == 2) { // ModelProto.graph
                    Wire g = m.sub();
                    while (g.more()) {
                        int gt = g.tag();
                        if (gt >>> 3 == 1 && (gt & 7) == 2) { // GraphProto.node
                            nodes.add(node(g.sub()));
                        } else {
                            g.skip(gt);
                        }
                    }
                } else {
                    m.skip(tag);
                }
            }
        } catch (RuntimeException e) {
            throw new IOException(source + ": not a valid ONNX model (" + e.getMessage() + ")");
        }
        return new OnnxGraphIndex(nodes);
    }

    private static Node node(Wire n) {
        String name = "";
        String op = "";
        List<String> outputs = new ArrayList<>(1);
        while (n.more()) {
            int t = n.tag();
            switch (t) {
                case (2 << 3) | 2 -> outputs.add(n.string());
                case (3 << 3) | 2 -> name = n.string();
                case (4 << 3) | 2 -> op = n.string();
                default -> n.skip(t);
            }
        }
        return new Node(name, op, List.copyOf(outputs));
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The node with this name, or null. */
    public Node node(String name) {
        return byName.get(name);
    }

    /** The node producing this tensor, or null. */
    public Node producer(String tensor) {
        return producers.get(tensor);
    }

    /** Node name -> op type, in graph order. */
    public Map<String, String> opTypes() {
        Map<String, String> m = new LinkedHashMap<>();
        nodes.forEach(n -> m.putIfAbsent(n.name, n.opType));
        return m;
    }

    /** Minimal protobuf wire-format reader over a buffer slice. */
    private static final class Wire {
        private final ByteBuffer b;

        Wire(ByteBuffer b) {
            this.b = b;
        }

        boolean more() {
            return b.hasRemaining();
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b.get();
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        Wire sub() {
            int len = length();
            ByteBuffer s = b.slice(b.position(), len);
            b.position(b.position() + len);
            return new Wire(s);
        }

        String string() {
            int len = length();
            byte[] bytes = new byte[len];
            b.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private int length() {
            long len = varint();
            if (len < 0 || len > b.remaining()) {
                throw new IllegalStateException("truncated field");
            }
            return (int) len;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> b.position(b.position() + 8);
                case 2 -> {
                    int len = length(); // read the length first: it advances the position
                    b.position(b.position() + len);
                }
                case 5 -> b.position(b.position() + 4);
                default -> throw new IllegalStateException("unsupported wire type " + (tag & 7));
            }
        }
    }
}
