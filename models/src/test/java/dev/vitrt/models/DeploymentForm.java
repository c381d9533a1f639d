package dev.vitrt.models;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.Node;
import dev.vitrt.runtime.profile.BlockTags;
import java.util.Map;
import java.util.Set;

/** Assertions that a zoo graph is in deployment form and fully tagged with blocks. */
public final class DeploymentForm {
    /** Ops the TensorRT 10 ONNX parser supports at opset 17 that the zoo uses. */
    public static final Set<String> TENSORRT_OPS = Set.of("Conv", "Add", "Sub", "Mul", "Div", "Relu", "Sigmoid", "Exp",
            "Erf", "Sqrt", "Pow", "Tanh", "Clip", "HardSigmoid", "HardSwish", "ReduceMax", "ReduceSum", "ReduceMean",
            "Reshape", "Transpose", "Split", "Slice", "Concat", "Shape", "Resize", "Flatten", "Gemm", "MatMul",
            "Softmax", "LayerNormalization", "InstanceNormalization", "Expand", "Pad", "GlobalAveragePool", "AveragePool", "MaxPool", "Cast");

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeploymentForm() {
    }

    /** No training-only or foldable ops, parser-supported ops only, every node under a registered block. */
    public static void check(Graph g) throws Exception {
        Map<String, String> blocks = JSON.readValue(g.metadata.get("vitrt.blocks"), new TypeReference<>() {
        });
        assertFalse(blocks.isEmpty(), "no blocks registered");
        for (Node n : g.nodes) {
            assertFalse(Set.of("Identity", "Dropout", "BatchNormalization").contains(n.opType()), n.name());
            assertTrue(TENSORRT_OPS.contains(n.opType()), "op not on the TensorRT parser list: " + n.opType() + " " + n.name());
            assertTrue(blockOf(n.name(), blocks) != null, "node outside every block: " + n.name());
        }
    }

    /** The block path of {@code node} by the runtime's folding rule, or null. */
    public static String blockOf(String node, Map<String, String> blocks) {
        BlockTags.Match m = new BlockTags(blocks, Map.of()).match(node);
        return m == null ? null : m.blockPath();
    }

    /** The part of {@code node} inside its block by the runtime's folding rule, or null. */
    public static String partOf(String node, Map<String, String> blocks, Map<String, Map<String, String>> parts) {
        BlockTags.Match m = new BlockTags(blocks, parts).match(node);
        return m == null ? null : m.part();
    }

    /** Parses vitrt.parts. */
    public static Map<String, Map<String, String>> parts(Graph g) throws Exception {
        return JSON.readValue(g.metadata.get("vitrt.parts"), new TypeReference<>() {
        });
    }

    /** Parses vitrt.blocks. */
    public static Map<String, String> blocks(Graph g) throws Exception {
        return JSON.readValue(g.metadata.get("vitrt.blocks"), new TypeReference<>() {
        });
    }
}
