package dev.vitrt.models.nextvit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.models.DeploymentForm;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.Node;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployment form of the Next-ViT graphs: operators, block tags, opsets, batch. */
class NextVitGraphTest {
    /** Operators this family may emit: all supported by TensorRT's ONNX parser at opsets 13-19. */
    private static final Set<String> ALLOWED = Set.of("Conv", "Relu", "Add", "Reshape", "Transpose", "MatMul",
            "Softmax", "AveragePool", "Concat", "GlobalAveragePool", "Flatten", "Gemm");

    private static ExportedModel small;

    @BeforeAll
    static void export() throws Exception {
        small = Exporter.export("nextvit_small", ExportOptions.defaults());
    }

    @Test
    void onlyDeploymentOperators() {
        for (Node n : small.graph().nodes) {
            assertTrue(ALLOWED.contains(n.opType()), n.name() + " is a " + n.opType());
        }
    }

    @Test
    void everyNodeBelongsToARegisteredBlockAndPart() throws Exception {
        Graph g = small.graph();
        ObjectMapper json = new ObjectMapper();
        Map<String, String> blocks = json.readValue(g.metadata.get("vitrt.blocks"), new TypeReference<>() { });
        Map<String, Map<String, String>> parts = json.readValue(g.metadata.get("vitrt.parts"), new TypeReference<>() { });
        assertEquals("Stem", blocks.get("stem"));
        assertEquals("NCB", blocks.get("stages.0.blocks.0"));
        assertEquals("NTB", blocks.get("stages.1.blocks.3"));
        assertEquals("NTB", blocks.get("stages.2.blocks.4"));
        assertEquals("NCB", blocks.get("stages.2.blocks.5"));
        assertEquals("NTB", blocks.get("stages.3.blocks.2"));
        assertEquals("Head", blocks.get("head"));
        assertEquals(1 + 3 + 4 + 10 + 3 + 2, blocks.size());
        assertEquals("E-MHSA", parts.get("NTB").get("e_mhsa"));
        assertEquals("MHCA", parts.get("NTB").get("projection"));
        assertEquals("MLP", parts.get("NCB").get("mlp"));

        assertEquals("MHCA", parts.get("NTB").get("Concat"), "the join of the NTB's two paths");
        for (Node n : g.nodes) {
            assertNotNull(DeploymentForm.partOf(n.name(), blocks, parts), "node " + n.name() + " is in no part");
        }
    }

    @Test
    void timmModulePathsInNodeNames() {
        Set<String> names = new java.util.HashSet<>();
        small.graph().nodes.forEach(n -> names.add(n.name()));
        for (String expected : List.of("stem.0.conv/Conv", "stem.0.act/Relu", "stages.0.blocks.0.mhca.group_conv3x3/Conv",
                "stages.1.blocks.0.patch_embed.pool/AveragePool", "stages.1.blocks.3.e_mhsa.q/Conv",
                "stages.1.blocks.3.e_mhsa.sr/AveragePool", "stages.1.blocks.3.e_mhsa/Softmax",
                "stages.1.blocks.3.projection.conv/Conv", "stages.3.blocks.1.mlp.fc2/Conv",
                "stages.3.blocks.2.mlp.fc2/Gemm", "head.fc/Gemm")) {
            assertTrue(names.contains(expected), "no node " + expected);
        }
    }

    @Test
    void opsetsThirteenToNineteenGiveTheSameLogitsAtAnyBatch() throws Exception {
        int size = 64;
        float[] image = new float[2 * 3 * size * size];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) r.nextGaussian();
        }
        long[] shape = {2, 3, size, size};
        float[] base = null;
        for (int opset = 13; opset <= 19; opset++) {
            ExportedModel m = Exporter.export("nextvit_small", ExportOptions.defaults().withInputSize(size).withOpset(opset));
            float[] out = TestSupport.run(OnnxWriter.toBytes(m.graph()), image, shape);
            if (base == null) {
                base = out;
                // batch 2 == two runs at batch 1
                float[] first = TestSupport.run(OnnxWriter.toBytes(m.graph()), java.util.Arrays.copyOf(image, 3 * size * size),
                        new long[] {1, 3, size, size});
                assertTrue(TestSupport.relativeError(first, java.util.Arrays.copyOf(base, 1000)) < 1e-5, "batch 1 vs 2");
            } else {
                assertTrue(TestSupport.relativeError(out, base) < 1e-5, "opset " + opset + " differs from opset 13");
            }
        }
    }

    @Test
    void exportOfLargeWithoutCheckpointIsQuick() throws Exception {
        long t0 = System.nanoTime();
        ExportedModel m = Exporter.export("nextvit_large", ExportOptions.defaults());
        byte[] bytes = OnnxWriter.toBytes(m.graph());
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("nextvit_large export without checkpoint: %.2f s, %d MB%n", s, bytes.length >> 20);
        // the bar is 5 s on an idle machine; the test machine is shared, so it only catches gross regressions
        assertTrue(s < 30, "export took " + s + " s");
    }
}
