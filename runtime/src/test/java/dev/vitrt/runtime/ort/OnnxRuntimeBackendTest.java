package dev.vitrt.runtime.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.profile.LayerTime;
import dev.vitrt.runtime.profile.LayerTimings;
import dev.vitrt.runtime.testing.TinyModels;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRuntimeBackendTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void build() throws Exception {
        model = TinyModels.taggedCnn(dir.resolve("tiny.onnx"), 16, 8, 10, true);
    }

    static FloatTensor randomInput(int batch, long seed) {
        Random r = new Random(seed);
        float[] d = new float[batch * 3 * 16 * 16];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return new FloatTensor(new long[] {batch, 3, 16, 16}, d);
    }

    @Test
    void describesInputsOutputsAndMetadata() throws Exception {
        try (Backend b = OnnxRuntimeBackend.open(model, BackendOptions.defaults().withIntraOpThreads(1))) {
            assertEquals("onnxruntime", b.name());
            TensorSpec in = b.singleInput();
            assertEquals("input", in.name());
            assertEquals(ElementType.FLOAT32, in.elementType());
            assertEquals("input [dtype=float32, shape=(batch, 3, 16, 16)]", in.toString());
            assertArrayEquals(new long[] {-1, 3, 16, 16}, in.shape());
            assertEquals("batch", in.dimNames()[0]);
            assertArrayEquals(new long[] {-1, 10}, b.outputs().get(0).shape());
            assertEquals("tiny", b.metadata().get("vitrt.model"));
            assertTrue(b.metadata().get("vitrt.blocks").contains("\"Blk\""));
        }
    }

    @Test
    void batchedRunEqualsSingleRunsAndBufferPathAgrees() throws Exception {
        try (Backend b = OnnxRuntimeBackend.open(model, BackendOptions.defaults().withIntraOpThreads(1))) {
            FloatTensor x = randomInput(2, 1);
            FloatTensor y = b.run(x);
            assertArrayEquals(new long[] {2, 10}, y.shape());
            int per = 3 * 16 * 16;
            for (int i = 0; i < 2; i++) {
                float[] one = Arrays.copyOfRange(x.data(), i * per, (i + 1) * per);
                FloatTensor yi = b.run(new FloatTensor(new long[] {1, 3, 16, 16}, one));
                float[] expect = Arrays.copyOfRange(y.data(), i * 10, (i + 1) * 10);
                for (int k = 0; k < 10; k++) {
                    assertEquals(expect[k], yi.data()[k], 1e-5f);
                }
            }
            FloatTensor viaBuffer = b.run(FloatBuffer.wrap(x.data()), x.shape()).get("logits");
            assertArrayEquals(y.data(), viaBuffer.data());
            try (Backend.PreparedRun p = b.prepare(Map.of("input", x))) {
                assertArrayEquals(y.data(), p.run().get("logits").data());
                p.runDiscardingOutputs();
            }
        }
    }

    @Test
    void wrongInputsAreOneClearLine() throws Exception {
        try (Backend b = OnnxRuntimeBackend.open(model, BackendOptions.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.run(FloatTensor.zeros(1, 3, 32, 32)));
            assertEquals("input 'input': shape (1, 3, 32, 32) does not fit the model's (batch, 3, 16, 16)", e.getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> b.run(Map.of("image", FloatTensor.zeros(1, 3, 16, 16)))).getMessage()
                    .startsWith("unknown input 'image'"));
        }
    }

    @Test
    void closeIsIdempotentAndRunAfterCloseFails() throws Exception {
        Backend b = OnnxRuntimeBackend.open(model, BackendOptions.defaults());
        b.close();
        b.close();
        assertThrows(IllegalStateException.class, () -> b.run(FloatTensor.zeros(1, 3, 16, 16)));
    }

    @Test
    void corruptAndMissingModelsAreOneClearLine() throws Exception {
        Path bad = dir.resolve("corrupt.onnx");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
        BackendException e = assertThrows(BackendException.class,
                () -> OnnxRuntimeBackend.open(bad, BackendOptions.defaults()));
        assertEquals(bad + ": not a valid ONNX model (protobuf parsing failed)", e.getMessage());
        Path missing = dir.resolve("missing.onnx");
        assertEquals("no such model file: " + missing, assertThrows(BackendException.class,
                () -> OnnxRuntimeBackend.open(missing, BackendOptions.defaults())).getMessage());
    }

    @Test
    void profilesEveryNodeByName() throws Exception {
        try (OnnxRuntimeBackend b = OnnxRuntimeBackend.open(model, BackendOptions.defaults().withIntraOpThreads(1))) {
            LayerTimings t = b.profileLayers(Map.of("input", randomInput(1, 3)), 2, 5, (l, d, n) -> { });
            assertEquals(5, t.runs());
            assertFalse(t.layers().isEmpty());
            assertTrue(t.layers().stream().anyMatch(l -> l.name().startsWith("stages.0.blocks.1.mixer.")),
                    "ORT-renamed nodes map back to graph node names: " + t.layers());
            assertTrue(t.layers().stream().allMatch(l -> l.ms() >= 0));
            assertTrue(t.layers().stream().noneMatch(l -> l.name().endsWith("_nchwc")), t.layers().toString());
            assertTrue(t.totalMs() > 0 && t.totalMs() <= t.profiledRunMs() * 1.01,
                    "kernel sum " + t.totalMs() + " within run " + t.profiledRunMs());
            assertTrue(t.opTypes().contains("Conv") || t.opTypes().contains("FusedConv"), t.opTypes().toString());
            assertTrue(t.elementTypes().contains(ElementType.FLOAT32), "ONNX Runtime's profile names its types as ONNX"
                    + " does: " + t.elementTypes());
            for (LayerTime l : t.layers()) {
                assertFalse(l.name().endsWith("_kernel_time"));
                assertFalse(l.name().startsWith(ProfilerProbe.PREFIX), "the probe runs in its own session");
            }
            assertTrue(t.net() && t.profilerCostMs() > 0, "profiler cost " + t.profilerCostMs());
        }
    }

    @Test
    void profilerProbeIsAValidGraphOfNoWorkAdds() throws Exception {
        Path probe = dir.resolve("probe.onnx");
        Files.write(probe, ProfilerProbe.model());
        try (OnnxRuntimeBackend b = OnnxRuntimeBackend.open(probe, BackendOptions.defaults().withIntraOpThreads(1))) {
            assertEquals("x0", b.singleInput().name());
            // x + 1, NODES times
            float[] y = b.run(Map.of("x0", new FloatTensor(new long[] {1}, new float[] {2f}))).values().iterator()
                    .next().data();
            assertEquals(2f + ProfilerProbe.NODES, y[0]);
            LayerTimings t = b.profileLayers(Map.of("x0", new FloatTensor(new long[] {1}, new float[] {0f})), 1, 3,
                    (l, d, n) -> { });
            assertEquals(ProfilerProbe.NODES, t.layers().size(), "ORT keeps every node: " + t.layers());
        }
    }
}
