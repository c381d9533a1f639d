package dev.vitrt.models.mobilevit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.DeploymentForm;
import dev.vitrt.models.OrtTestSupport;
import dev.vitrt.models.graph.Node;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.models.zoo.ZooEntry;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MobileViTv2Test {
    private static final String FIXTURE = "fixtures/timm/mobilevitv2_050";

    @ParameterizedTest
    @CsvSource({"mobilevitv2_050,1370593", "mobilevitv2_075,2866009", "mobilevitv2_100,4901841",
            "mobilevitv2_125,7478089", "mobilevitv2_150,10594753", "mobilevitv2_175,14251833",
            "mobilevitv2_200,18449329"})
    void parameterCountsEqualTimms(String name, long params) throws Exception {
        ExportedModel m = Exporter.export(name, ExportOptions.defaults().withInputSize(64));
        assertEquals(params, m.parameters());
    }

    @Test
    void zooEntriesCarryTimmsPretrainedConfig() {
        ZooEntry e = Zoo.get("mobilevitv2_100");
        assertEquals("mobilevitv2", e.family());
        assertEquals(256, e.inputSize());
        assertEquals(0.888, e.preprocessing().cropPct());
        assertEquals(0f, e.preprocessing().mean()[0]);
        assertEquals(1f, e.preprocessing().std()[2]);
    }

    @Test
    void reproducesTimmLogitsOnTheFixture() throws Exception {
        Path weights = OrtTestSupport.resource(FIXTURE + ".safetensors");
        FloatTensor input = Npy.read(OrtTestSupport.resource(FIXTURE + ".input.npy"));
        FloatTensor logits = Npy.read(OrtTestSupport.resource(FIXTURE + ".logits.npy"));
        ExportedModel m = Exporter.export("mobilevitv2_050", ExportOptions.defaults().withWeights(weights));
        float[] ours = OrtTestSupport.run(m.graph(), input.data(), input.shape());
        double err = OrtTestSupport.relativeError(ours, logits.data());
        System.out.println("mobilevitv2_050 parity: max|ours - timm| / max|timm| = " + err);
        assertTrue(err <= 1e-4, "relative error " + err);
    }

    @ParameterizedTest
    @ValueSource(ints = {224, 200, 100})
    void inputsThatAreNotMultiplesOf64ExportAndRun(int size) throws Exception {
        ExportedModel m = Exporter.export("mobilevitv2_050", ExportOptions.defaults().withInputSize(size));
        assertTrue(m.graph().nodes.stream().anyMatch(n -> n.opType().equals("Resize")), "no Resize at " + size);
        float[] out = OrtTestSupport.run(m.graph(), OrtTestSupport.randomInput(size, 3 * size * size), 1, 3, size, size);
        assertEquals(1000, out.length);
        for (float v : out) {
            assertTrue(Float.isFinite(v));
        }
    }

    @ParameterizedTest
    @CsvSource({"13,96", "14,160", "13,100"})
    void opsetsBeforeShapeSlicingAreValidAtSizesThatResize(int opset, int size) throws Exception {
        ExportOptions o = ExportOptions.defaults().withInputSize(size);
        ExportedModel old = Exporter.export("mobilevitv2_050", o.withOpset(opset));
        for (Node n : old.graph().nodes) {
            // Shape's start and end attributes exist from opset 15: a checker (and ONNX Runtime) rejects them before
            assertFalse(n.opType().equals("Shape") && !n.attributes().isEmpty(), n.name() + " " + n.attributes());
        }
        float[] input = OrtTestSupport.randomInput(size, 3 * size * size);
        float[] ours = OrtTestSupport.run(old.graph(), input, 1, 3, size, size);
        float[] base = OrtTestSupport.run(Exporter.export("mobilevitv2_050", o).graph(), input, 1, 3, size, size);
        assertTrue(OrtTestSupport.relativeError(ours, base) < 1e-5, "opset " + opset + " vs 17 at " + size);
    }

    @Test
    void graphIsInDeploymentFormAndTagged() throws Exception {
        ExportedModel m = Exporter.export("mobilevitv2_050", ExportOptions.defaults());
        DeploymentForm.check(m.graph());
        Map<String, String> blocks = DeploymentForm.blocks(m.graph());
        Map<String, Map<String, String>> parts = DeploymentForm.parts(m.graph());
        assertEquals("Stem", blocks.get("stem"));
        assertEquals("MV2", blocks.get("stages.1.1"));
        assertEquals("MobileViTv2Block", blocks.get("stages.3.1"));
        assertEquals("Head", blocks.get("head"));
        assertFalse(m.graph().nodes.stream().anyMatch(n -> n.opType().equals("Resize")), "no resize at 256");
        int attentionNodes = 0;
        for (Node n : m.graph().nodes) {
            String part = DeploymentForm.partOf(n.name(), blocks, parts);
            if ("SeparableAttention".equals(part)) {
                attentionNodes++;
                assertFalse(n.opType().equals("MatMul"), "token matmul in separable attention: " + n.name());
            }
        }
        // 9 transformer layers, each with norm, qkv conv, split, softmax and context ops, out conv
        assertTrue(attentionNodes >= 9 * 10, "attention nodes: " + attentionNodes);
        assertEquals(0, m.graph().nodes.stream().filter(n -> n.opType().equals("MatMul")).count());
        assertEquals("mobilevitv2_050", m.graph().metadata.get("vitrt.model"));
        assertEquals("0.888", m.graph().metadata.get("vitrt.crop_pct"));
    }

    @Test
    void checkpointOfAnotherWidthIsAClearError() {
        Path weights = OrtTestSupport.resource(FIXTURE + ".safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Exporter.export("mobilevitv2_075", ExportOptions.defaults().withWeights(weights)));
        assertTrue(e.getMessage().contains("mobilevitv2_050.safetensors") && e.getMessage().contains("has shape"), e.getMessage());
    }

    @Test
    void tooSmallInputIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Exporter.export("mobilevitv2_050", ExportOptions.defaults().withInputSize(16)));
        assertTrue(e.getMessage().contains("input size") && e.getMessage().contains("16"), e.getMessage());
    }
}
