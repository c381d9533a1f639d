package dev.vitrt.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.InputSize;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an export says about itself (vitrt export prints it): timm's parameter count and feature_info. */
class ExportedModelTest {
    @Test
    void aClassifierSaysItsWeightsClassesAndSize() throws IOException {
        ExportedModel m = Exporter.export("mobilevitv2_050", ExportOptions.defaults().withInputSize(64));
        String d = m.describe();
        assertTrue(d.matches("mobilevitv2_050 from random weights; 1000 classes, 1,370,593 params, \\d+\\.\\d\\d GMACs"
                + " at 64"), d); // timm's mobilevitv2_050 has 1,370,593 parameters
        assertEquals("outputs:", m.describeFeatures());
    }

    @Test
    void aBackboneSaysItsFeatureMaps() throws IOException {
        ExportedModel m = Exporter.export("mobilevitv2_050", ExportOptions.defaults()
                .withInputSize(InputSize.parse("64x96")).withFeatures(List.of(0, 1)));
        assertTrue(m.describe().contains("; backbone, "), m.describe());
        // timm's feature_info for mobilevitv2_050: stages.0 at stride 2 with 32 channels, stages.1 at 4 with 64
        assertEquals("outputs: features.0 (stages.0, 32 ch, stride 2), features.1 (stages.1, 64 ch, stride 4)",
                m.describeFeatures());
    }
}
