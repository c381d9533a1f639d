package dev.vitrt.models.mobilevit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.DeploymentForm;
import dev.vitrt.models.OrtTestSupport;
import dev.vitrt.models.graph.Node;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.models.zoo.Zoo;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The MobileViTv2 paper's Table 1 variants export, run in ONNX Runtime, and carry their own block types. */
class MobileViTv2AblationTest {
    @ParameterizedTest
    @CsvSource({"mobilevitv2_100_separable,MobileViTv2Block,SeparableAttention,0",
            "mobilevitv2_100_mha,MobileViTv2BlockMHA,MHSA,2",
            "mobilevitv2_100_linformer,MobileViTv2BlockLinformer,LinformerAttention,4"})
    void variantExportsRunsAndIsTagged(String name, String blockType, String part, int matMulsPerLayer) throws Exception {
        assertEquals(MobileViTv2Ablation.FAMILY, Zoo.get(name).family());
        int size = 96; // not a multiple of 64: the last stage resizes 3x3 to 4x4
        ExportedModel m = Exporter.export(name, ExportOptions.defaults().withInputSize(size));
        DeploymentForm.check(m.graph());
        Map<String, String> blocks = DeploymentForm.blocks(m.graph());
        Map<String, Map<String, String>> parts = DeploymentForm.parts(m.graph());
        assertEquals(blockType, blocks.get("stages.2.1"));
        long matMuls = 0;
        long attentionNodes = 0;
        for (Node n : m.graph().nodes) {
            if (part.equals(DeploymentForm.partOf(n.name(), blocks, parts))) {
                attentionNodes++;
                matMuls += n.opType().equals("MatMul") ? 1 : 0;
            }
        }
        assertTrue(attentionNodes > 0);
        assertEquals(9L * matMulsPerLayer, matMuls, "MatMuls in the attention of 9 transformer layers");
        float[] out = OrtTestSupport.run(m.graph(), OrtTestSupport.randomInput(1, 3 * size * size), 1, 3, size, size);
        assertEquals(1000, out.length);
        for (float v : out) {
            assertTrue(Float.isFinite(v), name + " produced " + v);
        }
    }
}
