package dev.vitrt.models.nextvit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.weights.SafeTensors;
import dev.vitrt.models.weights.StateDict;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.io.Npy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity away from 224, where timm's logits are not available: the exported graph against an independent float64
 * forward pass ({@link NextVitReference}), itself first checked against timm's logits at 224. 112 exercises the
 * ragged cases: E-MHSA token counts not divisible by the pooling window (196 / 16, 49 / 4) and a ceil-mode
 * PatchEmbed pool on an odd map (7x7 to 4x4); 160 the even case with a 5x5 last stage.
 */
class NextVitInputSizeTest {
    private static Path weights;
    private static StateDict stateDict;

    @BeforeAll
    static void load() throws Exception {
        weights = TestSupport.fixture("nextvit_small.safetensors");
        stateDict = SafeTensors.read(weights);
    }

    @Test
    void referenceReproducesTimmAt224() throws Exception {
        var input = Npy.read(TestSupport.fixture("nextvit_small.input.npy"));
        var logits = Npy.read(TestSupport.fixture("nextvit_small.logits.npy"));
        int per = 3 * 224 * 224;
        double[] ref = new NextVitReference(stateDict, NextVit.SMALL).forward(Arrays.copyOf(input.data(), per), 224);
        double err = relativeError(ref, Arrays.copyOf(logits.data(), 1000));
        System.out.printf("float64 reference vs timm at 224: %.3g%n", err);
        assertTrue(err <= 1e-5, "reference differs from timm by " + err);
    }

    @ParameterizedTest
    @ValueSource(ints = {112, 160})
    void graphMatchesReferenceAtOtherSizes(int size) throws Exception {
        float[] image = new float[3 * size * size];
        SplittableRandom r = new SplittableRandom(size);
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) r.nextGaussian();
        }
        ExportedModel m = Exporter.export("nextvit_small", ExportOptions.defaults().withWeights(weights).withInputSize(size));
        float[] ours = TestSupport.run(OnnxWriter.toBytes(m.graph()), image, new long[] {1, 3, size, size});
        double[] ref = new NextVitReference(stateDict, NextVit.SMALL).forward(image, size);
        double err = relativeError(ref, ours);
        System.out.printf("graph vs float64 reference at %d: %.3g%n", size, err);
        assertTrue(err <= 1e-4, "graph differs from the reference at " + size + " by " + err);
    }

    private static double relativeError(double[] ref, float[] actual) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - ref[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return maxDiff / maxRef;
    }

    private static double relativeError(double[] ref, double[] other) {
        float[] f = new float[other.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) other[i];
        }
        return relativeError(ref, f);
    }
}
