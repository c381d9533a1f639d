package dev.vitrt.models.nextvit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.DeploymentForm;
import dev.vitrt.models.OrtTestSupport;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every Next-ViT ablation exports in deployment form, runs in ONNX Runtime at 64x64, and carries its block types. */
class NextVitAblationTest {
    @ParameterizedTest
    @CsvSource({
            "nextvit_small_bottleneck,Bottleneck NTB",
            "nextvit_small_convnext,ConvNeXtBlock NTB",
            "nextvit_small_lsa,LSABlock NTB",
            "nextvit_small_ccct,NCB NTB",
            "nextvit_small_cctt,NCB NTB",
            "nextvit_small_cttt,NCB NTB",
            "nextvit_small_chhh,NCB NTB",
            "nextvit_small_r025,NCB NTB-r0.25",
            "nextvit_small_r050,NCB NTB-r0.5",
            "nextvit_small_r075,NCB NTB",
            "nextvit_small_r100,NCB NTB-r1.0",
            "nextvit_small_ln_gelu,NCB-LN-GELU NTB-LN-GELU"})
    void variantExportsRunsAndIsTagged(String name, String types) throws Exception {
        assertEquals(NextVitAblation.FAMILY, Zoo.get(name).family());
        int size = 64;
        ExportedModel m = Exporter.export(name, ExportOptions.defaults().withInputSize(size));
        DeploymentForm.check(m.graph());
        Map<String, String> blocks = DeploymentForm.blocks(m.graph());
        Set<String> found = new HashSet<>(blocks.values());
        for (String t : types.split(" ")) {
            assertTrue(found.contains(t), name + " has no " + t + " block: " + found);
        }
        float[] out = OrtTestSupport.run(m.graph(), OrtTestSupport.randomInput(7, 3 * size * size), 1, 3, size, size);
        assertEquals(1000, out.length);
        for (float v : out) {
            assertTrue(Float.isFinite(v), name + " produced " + v);
        }
    }

    @Test
    void strategyLettersPlaceTheBlocks() throws Exception {
        Map<String, String> cttt = DeploymentForm.blocks(
                Exporter.export("nextvit_small_cttt", ExportOptions.defaults().withInputSize(64)).graph());
        assertEquals("NCB", cttt.get("stages.0.blocks.2"));
        assertEquals("NTB", cttt.get("stages.1.blocks.0"));
        assertEquals("NTB", cttt.get("stages.2.blocks.3"));
        Map<String, String> ccct = DeploymentForm.blocks(
                Exporter.export("nextvit_small_ccct", ExportOptions.defaults().withInputSize(64)).graph());
        assertEquals("NCB", ccct.get("stages.2.blocks.4"));
        assertEquals("NTB", ccct.get("stages.3.blocks.0"));
    }

    @Test
    void publishedLayoutAndRatioEqualNextVitSmall() throws Exception {
        // the generalised NTB at r = 0.75 in the CHHH layout declares exactly Next-ViT-S's parameters
        assertEquals(31_763_368L, Exporter.export("nextvit_small_chhh", ExportOptions.defaults().withInputSize(64)).parameters());
        assertEquals(31_763_368L, Exporter.export("nextvit_small_r075", ExportOptions.defaults().withInputSize(64)).parameters());
    }

    @Test
    void publishedLayoutReproducesTheNextVitSmallFixture() throws Exception {
        String dir = System.getProperty("vitrt.fixtures");
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, "nextvit_small.safetensors")),
                "nextvit_small fixture not found (vitrt.fixtures=" + dir + ")");
        Path fixtures = Path.of(dir);
        FloatTensor input = Npy.read(fixtures.resolve("nextvit_small.input.npy"));
        FloatTensor logits = Npy.read(fixtures.resolve("nextvit_small.logits.npy"));
        ExportedModel m = Exporter.export("nextvit_small_chhh",
                ExportOptions.defaults().withWeights(fixtures.resolve("nextvit_small.safetensors")));
        double err = OrtTestSupport.relativeError(OrtTestSupport.run(m.graph(), input.data(), input.shape()), logits.data());
        assertTrue(err <= 1e-4, "nextvit_small_chhh vs timm's nextvit_small: " + err);
    }
}
