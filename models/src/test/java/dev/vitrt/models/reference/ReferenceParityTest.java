package dev.vitrt.models.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.DeploymentForm;
import dev.vitrt.models.OrtTestSupport;
import dev.vitrt.models.reference.Ref.Map3;
import dev.vitrt.models.weights.SafeTensors;
import dev.vitrt.models.weights.StateDict;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parity where no timm output exists: a float64 reference written from timm's modules (first shown to reproduce
 * timm's own logits on the mobilevitv2_050 fixture) against our ONNX graphs in ONNX Runtime, for other widths,
 * ResNet-50, and input sizes that are not multiples of the patch grid, on random checkpoints.
 */
class ReferenceParityTest {
    private static final String FIXTURE = "fixtures/timm/mobilevitv2_050";

    @TempDir
    Path tmp;

    @Test
    void referenceReproducesTimmOnTheFixture() throws Exception {
        StateDict ckpt = SafeTensors.read(OrtTestSupport.resource(FIXTURE + ".safetensors"));
        RandomStateDict sd = new RandomStateDict(0);
        ckpt.entries().forEach((k, e) -> sd.put(k, e.shape(), e.data()));
        FloatTensor input = Npy.read(OrtTestSupport.resource(FIXTURE + ".input.npy"));
        FloatTensor logits = Npy.read(OrtTestSupport.resource(FIXTURE + ".logits.npy"));
        int size = (int) input.dim(2);
        float[] first = Arrays.copyOf(input.data(), 3 * size * size);
        double[] ref = new MobileViTv2Ref(sd, 0.5).forward(image(first, size));
        double err = OrtTestSupport.relativeError(toFloats(ref), Arrays.copyOf(logits.data(), 1000));
        System.out.println("float64 reference vs timm (mobilevitv2_050 fixture, image 0): " + err);
        assertTrue(err <= 1e-5, "reference vs timm: " + err);
    }

    @ParameterizedTest
    @CsvSource({"mobilevitv2_075,0.75,96", "mobilevitv2_125,1.25,100", "mobilevitv2_200,2.0,72", "mobilevitv2_050,0.5,200"})
    void mobileVitGraphMatchesTheReference(String name, double multiplier, int size) throws Exception {
        assertGraphMatches(name, size, sd -> new MobileViTv2Ref(sd, multiplier)::forward);
    }

    @ParameterizedTest
    @CsvSource({"33", "45"})
    void resnet50GraphMatchesTheReference(int size) throws Exception {
        assertGraphMatches("resnet50", size, sd -> new ResNetRef(sd, new int[] {3, 4, 6, 3})::forward);
    }

    @Test
    void resnet50HasTimmsParameterCountAndIsTagged() throws Exception {
        ExportedModel m = Exporter.export("resnet50", ExportOptions.defaults().withInputSize(64));
        assertEquals(25_557_032L, m.parameters());
        DeploymentForm.check(m.graph());
        assertEquals("Bottleneck", DeploymentForm.blocks(m.graph()).get("layer3.5"));
        assertEquals("Stem", DeploymentForm.blocks(m.graph()).get("conv1"));
        assertEquals("Head", DeploymentForm.blocks(m.graph()).get("fc"));
    }

    private void assertGraphMatches(String name, int size, Function<RandomStateDict, Function<Map3, double[]>> reference)
            throws Exception {
        RandomStateDict sd = new RandomStateDict(size * 31L + name.hashCode());
        float[] input = OrtTestSupport.randomInput(size, 3 * size * size);
        double[] ref = reference.apply(sd).apply(image(input, size));
        Path ckpt = tmp.resolve(name + ".safetensors");
        sd.writeSafetensors(ckpt);
        ExportedModel m = Exporter.export(name, ExportOptions.defaults().withInputSize(size).withWeights(ckpt));
        float[] ours = OrtTestSupport.run(m.graph(), input, 1, 3, size, size);
        double err = OrtTestSupport.relativeError(ours, toFloats(ref));
        System.out.println(name + " @" + size + ": graph vs float64 reference " + err);
        assertTrue(err <= 1e-4, name + " @" + size + ": " + err);
    }

    private static Map3 image(float[] v, int size) {
        Map3 m = Map3.zeros(3, size, size);
        for (int i = 0; i < m.v().length; i++) {
            m.v()[i] = v[i];
        }
        return m;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
