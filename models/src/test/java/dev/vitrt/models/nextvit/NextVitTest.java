package dev.vitrt.models.nextvit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NextVitTest {

    @ParameterizedTest
    @CsvSource({"nextvit_small, 31763368, 5.8", "nextvit_base, 44818856, 8.3", "nextvit_large, 57874344, 10.8"})
    void parametersAndMacsMatchTimmAndThePaper(String name, long params, double gmacs) throws Exception {
        ExportedModel m = Exporter.export(name, ExportOptions.defaults());
        double deploy = Long.parseLong(m.graph().metadata.get("vitrt.deploy_macs")) / 1e9;
        System.out.printf("%s: %,d parameters, %.3f GMACs (%.3f in the deployment graph)%n", name, m.parameters(),
                m.gmacs(), deploy);
        assertTrue(deploy < m.gmacs(), "merging fc2 into the next PatchEmbed saves work");
        assertEquals(params, m.parameters(), name + " parameters");
        assertEquals(gmacs, m.gmacs(), gmacs * 0.03, name + " GMACs");
    }

    @Test
    void reproducesTimmLogitsAt224() throws Exception {
        var weights = TestSupport.fixture("nextvit_small.safetensors");
        var input = Npy.read(TestSupport.fixture("nextvit_small.input.npy"));
        var logits = Npy.read(TestSupport.fixture("nextvit_small.logits.npy"));
        ExportedModel m = Exporter.export("nextvit_small", ExportOptions.defaults().withWeights(weights));
        float[] ours = TestSupport.run(OnnxWriter.toBytes(m.graph()), input.data(), input.shape());
        double err = TestSupport.relativeError(ours, logits.data());
        System.out.printf("nextvit_small parity at 224: max|diff|/max|logit| = %.3g%n", err);
        assertTrue(err <= 1e-4, "relative error " + err);
    }
}
