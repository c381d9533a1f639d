package dev.vitrt.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.Node;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.models.zoo.ZooEntry;
import dev.vitrt.runtime.profile.BlockTags;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every node of every zoo graph falls in a block and, inside it, in a part, by the runtime's own folding rule. */
class ZooTagsTest {
    static Stream<String> models() {
        return Zoo.all().stream().map(ZooEntry::name);
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyNodeHasABlockAndAPart(String name) {
        Graph g = Exporter.describe(Zoo.get(name)).graph();
        BlockTags tags = BlockTags.fromMetadata(g.metadata);
        List<String> missing = new ArrayList<>();
        for (Node n : g.nodes) {
            BlockTags.Match m = tags.match(n.name());
            if (m == null || m.part() == null) {
                missing.add(n.name() + (m == null ? " (no block)" : " (" + m.blockType() + ", no part)"));
            }
        }
        assertTrue(missing.isEmpty(), name + ": " + missing.size() + " nodes untagged: " + missing);
    }
}
