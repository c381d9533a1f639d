package dev.vitrt.models.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operator. Attribute values are Long, Float, String, long[], float[] or String[].
 * An empty input name is an omitted optional input, as in ONNX.
 */
public record Node(String opType, String name, List<String> inputs, List<String> outputs,
                   Map<String, Object> attributes, String domain) {
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        domain = domain == null ? "" : domain;
    }

    public Node(String opType, String name, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {
        this(opType, name, inputs, outputs, attributes, "");
    }

    public long attrLong(String key, long dflt) {
        Object v = attributes.get(key);
        return v == null ? dflt : (Long) v;
    }

    public long[] attrLongs(String key, long[] dflt) {
        Object v = attributes.get(key);
        return v == null ? dflt : (long[]) v;
    }
}
