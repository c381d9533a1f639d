package dev.vitrt.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.vitrt.models.OrtTestSupport;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.runtime.InputSize;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A graph exported with a dynamic height and width computes, at each size, what the fixed-size export computes. */
class DynamicSizeTest {

    @ParameterizedTest
    @CsvSource({"nextvit_small,true", "mobilevitv2_050,true", "resnet50,true", "mobilevitv2_050,false"})
    void runsAtEverySizeAsTheFixedSizeExports(String model, boolean features) throws Exception {
        ExportOptions base = ExportOptions.defaults().withSeed(3).withInputSize(InputSize.parse("64x64"));
        if (features) {
            base = base.withFeatures(List.of());
        }
        ExportedModel dynamic = Exporter.export(model, base.withDynamicSize(true));
        OnnxMl.GraphProto proto = OnnxWriter.toProto(dynamic.graph()).getGraph();
        assertEquals("height", proto.getInput(0).getType().getTensorType().getShape().getDim(2).getDimParam());
        assertEquals("width", proto.getInput(0).getType().getTensorType().getShape().getDim(3).getDimParam());
        for (String size : new String[] {"64x96", "128x64"}) {
            InputSize s = InputSize.parse(size);
            ExportedModel fixed = Exporter.export(model, base.withInputSize(s));
            float[] input = OrtTestSupport.randomInput(s.height(), 3 * s.height() * s.width());
            List<float[]> a = OrtTestSupport.runAll(dynamic.graph(), input, 1, 3, s.height(), s.width());
            List<float[]> b = OrtTestSupport.runAll(fixed.graph(), input, 1, 3, s.height(), s.width());
            assertEquals(b.size(), a.size());
            for (int k = 0; k < a.size(); k++) {
                double err = OrtTestSupport.relativeError(a.get(k), b.get(k));
                assertTrue(err < 1e-5, model + " output " + k + " at " + size + ": " + err);
            }
        }
    }

    @Test
    void attentionsOverAFixedNumberOfPatchesAndAblationsRefuseIt() {
        Exception mha = assertThrows(IllegalArgumentException.class, () -> Exporter.export("mobilevitv2_100_mha",
                ExportOptions.defaults().withDynamicSize(true)));
        assertTrue(mha.getMessage().contains("needs a fixed input size"), mha.getMessage());
        Exception lsa = assertThrows(IllegalArgumentException.class, () -> Exporter.export("nextvit_small_lsa",
                ExportOptions.defaults().withDynamicSize(true)));
        assertFalse(lsa.getMessage().contains("\n"));
        assertTrue(lsa.getMessage().contains("cannot be exported with a dynamic size"), lsa.getMessage());
    }
}
