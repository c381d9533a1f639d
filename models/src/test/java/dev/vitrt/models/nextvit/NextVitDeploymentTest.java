package dev.vitrt.models.nextvit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.DeploymentForm;
import dev.vitrt.models.OrtTestSupport;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.GraphIndex;
import dev.vitrt.models.graph.Node;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Next-ViT's blocks are defined as the paper draws them and the fc2 merges are a graph pass: exact, applied alike to
 * the ablations, and leaving every node tagged with the block whose computation it is.
 */
class NextVitDeploymentTest {
    private static final int SIZE = 64;

    @ParameterizedTest
    @ValueSource(strings = {"nextvit_small_chhh", "nextvit_small_r075"})
    void ablationsOfThePublishedNetworkExportItsGraph(String name) throws Exception {
        ExportedModel small = Exporter.export("nextvit_small", ExportOptions.defaults());
        ExportedModel same = Exporter.export(name, ExportOptions.defaults());
        assertEquals(small.graph().nodes.size(), same.graph().nodes.size(), name + " nodes");
        assertEquals(small.macs(), same.macs(), name + " MACs");
        assertEquals(small.deployMacs(), same.deployMacs(), name + " MACs of the deployed graph");
        assertEquals(small.graph().nodes.stream().map(Node::opType).toList(),
                same.graph().nodes.stream().map(Node::opType).toList(), name + " operators");
    }

    @Test
    void theMergedGraphComputesTheGraphAsDefined() throws Exception {
        ExportOptions o = ExportOptions.defaults().withInputSize(SIZE).withSeed(5);
        ExportedModel defined = Exporter.export("nextvit_small", o.withDeploymentPasses(false));
        ExportedModel merged = Exporter.export("nextvit_small", o);
        float[] input = OrtTestSupport.randomInput(11, 3 * SIZE * SIZE);
        double err = OrtTestSupport.relativeError(OrtTestSupport.run(merged.graph(), input, 1, 3, SIZE, SIZE),
                OrtTestSupport.run(defined.graph(), input, 1, 3, SIZE, SIZE));
        assertTrue(err < 1e-5, "merged vs defined: " + err);
        assertEquals(defined.macs(), merged.macs(), "the model's MACs are counted before the rewrite");
        assertEquals(defined.macs(), defined.deployMacs());
        assertTrue(merged.deployMacs() < merged.macs());
        // four fc2 convs into the next PatchEmbed (three through its pool), the last past the head's pool
        long fc2Pools = merged.graph().nodes.stream().filter(n -> n.name().endsWith("mlp.fc2/AveragePool")).count();
        assertEquals(3, fc2Pools);
        assertTrue(merged.graph().nodes.stream().anyMatch(n -> n.name().equals("stages.3.blocks.2.mlp.fc2/Gemm")));
    }

    /**
     * Every node on the way from a block's MLP hidden activation to its residual sum computes that block's MLP,
     * whatever the merge did with it (pooled, merged, moved past the head's pool): it carries the block's tag.
     */
    @Test
    void whatTheMergeMovesStaysTaggedWithItsBlock() throws Exception {
        Graph g = Exporter.export("nextvit_small", ExportOptions.defaults().withInputSize(SIZE)).graph();
        Map<String, String> blocks = DeploymentForm.blocks(g);
        GraphIndex ix = GraphIndex.of(g);
        int checked = 0;
        for (Node act : g.nodes) {
            if (!act.name().endsWith(".mlp.act/Relu")) {
                continue;
            }
            String block = DeploymentForm.blockOf(act.name(), blocks);
            String sum = block + ".mlp/Add";
            Deque<Node> todo = new ArrayDeque<>(ix.consumers(act.outputs().get(0)));
            while (!todo.isEmpty()) {
                Node n = todo.pop();
                assertEquals(block, DeploymentForm.blockOf(n.name(), blocks), n.name() + " computes " + block + "'s MLP");
                checked++;
                if (!n.name().equals(sum)) {
                    todo.addAll(ix.consumers(n.outputs().get(0)));
                }
            }
        }
        assertTrue(checked >= 2 * 20, "nodes checked: " + checked);
    }

    @Test
    void theModelsMacsAreThePapers() throws Exception {
        for (String name : List.of("nextvit_small", "nextvit_small_chhh")) {
            assertEquals(5.8, Exporter.export(name, ExportOptions.defaults()).gmacs(), 0.05, name);
        }
    }
}
