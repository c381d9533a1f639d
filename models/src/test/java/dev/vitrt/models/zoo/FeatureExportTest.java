package dev.vitrt.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.OrtTestSupport;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.GraphIndex;
import dev.vitrt.models.graph.Node;
import dev.vitrt.runtime.InputSize;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a feature export refuses, what it leaves out, and what it tells the user. */
class FeatureExportTest {
    private static ExportOptions features(String size, Integer... indices) {
        return ExportOptions.defaults().withInputSize(InputSize.parse(size)).withFeatures(List.of(indices));
    }

    private static String failure(String model, ExportOptions o) {
        Exception e = assertThrows(IllegalArgumentException.class, () -> Exporter.export(model, o));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void anOutIndexOutsideTheLevelsNamesThem() {
        String msg = failure("nextvit_small", features("64x96", 1, 4));
        assertEquals("out index 4 is outside nextvit_small's feature levels 0-3 (stages.0, stages.1, stages.2, stages.3)",
                msg);
        assertTrue(failure("resnet50", features("64x96", -1)).contains("act1, layer1"));
        assertTrue(failure("resnet50", features("64x96", 2, 2)).contains("given twice"));
    }

    @Test
    void aSizeThatIsNotAMultipleOfTheStrideNamesTheConstraint() {
        String msg = failure("nextvit_small", features("250x333"));
        assertEquals("input size 250x333 is not a multiple of 32, the stride of nextvit_small's feature level 3 "
                + "(stages.3); use 256x352 for example", msg);
        // the deepest requested level sets the stride: stages.0 and .1 of MobileViTv2 need multiples of 4
        assertTrue(failure("mobilevitv2_050", features("66x64", 0, 1)).contains("not a multiple of 4"));
    }

    @Test
    void modelsWithoutFeatureLevelsSaySo() {
        assertTrue(failure("nextvit_small_lsa", features("64x64")).contains("has no feature levels"));
    }

    @Test
    void onlyTheRequestedLevelsAreBuiltAndAClassificationCheckpointLoads() throws Exception {
        Path ckpt = OrtTestSupport.resource("fixtures/timm/mobilevitv2_050.safetensors");
        ExportedModel m = Exporter.export("mobilevitv2_050", features("64x96", 0, 1).withWeights(ckpt));
        Graph g = m.graph();
        assertEquals(List.of("features.0", "features.1"), g.outputs.stream().map(t -> t.name()).toList());
        assertTrue(g.nodes.stream().noneMatch(n -> n.name().startsWith("stages.2") || n.name().startsWith("head")));
        assertEquals(List.of("ignored checkpoint keys the feature graph does not use: head.* (2), stages.2.* (52), "
                + "stages.3.* (76), stages.4.* (64)"), m.notes());
        assertTrue(g.metadata.get("vitrt.features").contains("\"module\":\"stages.1\",\"channels\":64,\"stride\":4"),
                g.metadata.get("vitrt.features"));
        assertFalse(g.metadata.containsKey("vitrt.num_classes"));
        assertFalse(g.metadata.containsKey("vitrt.input_size"), "not square: no single side to give");
        assertEquals("96", g.metadata.get("vitrt.input_width"));
    }

    @Test
    void theMergePassNeverReadsThroughAFeatureOutput() throws Exception {
        ExportedModel m = Exporter.export("nextvit_small", features("64x64"));
        Graph g = m.graph();
        GraphIndex ix = GraphIndex.of(g);
        String[] lastBlocks = {"stages.0.blocks.2", "stages.1.blocks.3", "stages.2.blocks.9", "stages.3.blocks.2"};
        for (int k = 0; k < 4; k++) {
            Node producer = ix.producer("features." + k);
            assertEquals(lastBlocks[k] + ".mlp/Add", producer.name(), "features." + k + " is the stage's own output");
        }
        // the one merge left is inside stage 2 (its NTB's fc2 into the next NCB's PatchEmbed)
        assertTrue(g.nodes.stream().noneMatch(n -> n.name().endsWith("mlp.fc2/AveragePool")));
        assertTrue(m.deployMacs() < m.macs());
    }
}
