package dev.vitrt.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole post-training quantization a Java caller gets: calibration, the cache, the held-out check, the write. */
class PostTrainingQuantizationTest {
    @TempDir
    Path dir;

    /** Collects the steps a listener hears. */
    private static final class Steps implements PostTrainingQuantization.Listener {
        final List<String> lines = new ArrayList<>();
        long updates;

        @Override
        public void update(String label, long done, long total) {
            updates++;
        }

        @Override
        public void step(String message) {
            lines.add(message);
        }
    }

    @Test
    void calibratesWritesTheCacheThenQuantizesFromItAlike() throws Exception {
        Path fp32 = dir.resolve("tiny.onnx");
        Files.write(fp32, TinyModel.convResidual().toByteArray());
        Path cache = dir.resolve("calib.json");
        PostTrainingQuantization.Settings s = PostTrainingQuantization.Settings.defaults().withSamples(6, 2)
                .withHeldOut(3, 0).withCache(cache);

        Steps first = new Steps();
        PostTrainingQuantization.Result a = PostTrainingQuantization.quantize(fp32, "synthetic", s, first);
        assertFalse(a.fromCache());
        assertTrue(Files.isRegularFile(cache));
        assertTrue(first.lines.get(0).equals("calibrating on 6 of 9 synthetic samples (seed 0) (mse, 3 tensors, batch 2)"), first.lines.toString());
        assertEquals("wrote calibration cache " + cache, first.lines.get(first.lines.size() - 1));
        assertTrue(first.updates >= 3, "progress per batch");
        assertEquals(3, a.heldOut().size());
        assertNull(a.heldOut().note(), "the data's own samples 6..8 are held out");

        Steps second = new Steps();
        PostTrainingQuantization.Result b = PostTrainingQuantization.quantize(fp32, "synthetic", s, second);
        assertTrue(b.fromCache());
        assertTrue(second.lines.get(0).startsWith("using calibration cache " + cache), second.lines.toString());
        assertEquals(a.quantized().scales(), b.quantized().scales());

        Path out = dir.resolve("int8.onnx");
        try (PostTrainingQuantization.Written w = b.writeChecked(out)) {
            assertTrue(w.report().minCosine() > 0.99, "cosine " + w.report().minCosine());
            assertEquals(Files.size(out), w.bytes());
        }
        ModelProto q = ModelProto.parseFrom(Files.readAllBytes(out));
        assertTrue(q.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("QuantizeLinear")));
        assertTrue(q.getMetadataPropsList().stream().anyMatch(e -> e.getValue().equals("mse")));

        // a cache of another method is refused, naming the parameter rather than a command-line flag
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PostTrainingQuantization
                .quantize(fp32, "synthetic", s.withMethod(CalibrationMethod.MAX, 99.99), PostTrainingQuantization.Listener.NONE));
        assertEquals("calibration cache " + cache + " holds mse scales, not max; calibrate with method mse or use"
                + " another cache", e.getMessage());
    }
}
