package dev.vitrt.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.OrtTestSupport;
import dev.vitrt.models.weights.CheckpointFixtures;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PyTorch checkpoints as users have them, exported and run on ONNX Runtime, against timm's logits for the same
 * weights (fixtures/checkpoints, made by its make_checkpoints.py with PyTorch 1.13 and timm).
 */
class CheckpointParityTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} ema={4}")
    @CsvSource({
            "mobilevitv2_050.pth, mobilevitv2_050, mobilevitv2_050.logits.npy, timm, true",
            "mobilevitv2_050_views.pth, mobilevitv2_050, mobilevitv2_050.logits.npy, timm, true",
            "mobilevitv2_050_f16.pth, mobilevitv2_050, mobilevitv2_050_f16.logits.npy, timm, true",
            "mobilevitv2_050_bf16.pth, mobilevitv2_050, mobilevitv2_050_bf16.logits.npy, timm, true",
            "mobilevitv2_050_train.pth.tar, mobilevitv2_050, mobilevitv2_050_train.ema.logits.npy, timm, true",
            "mobilevitv2_050_train.pth.tar, mobilevitv2_050, mobilevitv2_050.logits.npy, timm, false",
            "mobilevitv2_050_cvnets.pt, mobilevitv2_050.cvnets_in1k, mobilevitv2_050.logits.npy, Apple ml-cvnets, true",
            "mobilevitv2_050_10class.pth, mobilevitv2_050, mobilevitv2_050_10class.logits.npy, timm, true",
            "nextvit_small_official.pth, nextvit_small, nextvit_small_official.logits.npy, ByteDance Next-ViT release, true"})
    void reproducesTimmLogits(String file, String model, String logitsFile, String layout, boolean ema) throws Exception {
        Path weights = CheckpointFixtures.unpack(file, dir);
        ZooEntry e = Zoo.get(model);
        ExportedModel m = Exporter.export(e, ExportOptions.defaults().withWeights(weights).withPreferEma(ema));
        assertEquals(layout, m.weights().layout().name());
        FloatTensor want = Npy.read(CheckpointFixtures.resource(logitsFile));
        assertEquals(want.dim(1), m.numClasses(), "classifier size taken from the checkpoint");
        assertEquals(Long.toString(want.dim(1)), m.graph().metadata.get("vitrt.num_classes"));
        int size = e.inputSize();
        float[] ours = OrtTestSupport.run(m.graph(), CheckpointFixtures.input(2, size), 2, 3, size, size);
        double err = OrtTestSupport.relativeError(ours, want.data());
        System.out.println(file + (ema ? "" : " (raw weights)") + " parity: max|ours - timm| / max|timm| = " + err);
        assertTrue(err <= 1e-4, "relative error " + err);
    }

    @Test
    void aDifferentNumClassesGivesAFreshClassifier() throws Exception {
        Path weights = CheckpointFixtures.unpack("mobilevitv2_050_10class.pth", dir);
        ExportedModel m = Exporter.export(Zoo.get("mobilevitv2_050"),
                ExportOptions.defaults().withWeights(weights).withNumClasses(37).withInputSize(64));
        assertEquals(37, m.numClasses());
        assertTrue(m.headReset());
        assertEquals(10, m.weights().numClasses());
        float[] out = OrtTestSupport.run(m.graph(), CheckpointFixtures.input(1, 64), 1, 3, 64, 64);
        assertEquals(37, out.length);
        ExportedModel same = Exporter.export(Zoo.get("mobilevitv2_050"),
                ExportOptions.defaults().withWeights(weights).withNumClasses(10).withInputSize(64));
        assertFalse(same.headReset());
    }

    @Test
    void aCheckpointOfAnotherModelNamesTheKeysThatDidNotFit() {
        Path weights = CheckpointFixtures.unpack("mobilevitv2_050_cvnets.pt", dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Exporter.export(Zoo.get("nextvit_small"), ExportOptions.defaults().withWeights(weights)));
        assertTrue(e.getMessage().startsWith("checkpoint mobilevitv2_050_cvnets.pt fits no key layout of nextvit_small"),
                e.getMessage());
        assertTrue(e.getMessage().contains("keys that did not fit: 'conv_1.block.conv.weight'"), e.getMessage());
    }
}
