package dev.vitrt.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.bench.Inputs;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.testing.TinyModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 16 threads x 200 requests on one session, with and without dynamic batching; every result must be its own. */
class InferenceSessionTest {
    static final int THREADS = 16;
    static final int REQUESTS = 200;
    static final int DISTINCT = 64;

    @TempDir
    static Path dir;
    static Path model;
    static List<FloatTensor> inputs = new ArrayList<>();
    static List<FloatTensor> expected = new ArrayList<>();

    @BeforeAll
    static void reference() throws Exception {
        model = TinyModels.taggedCnn(dir.resolve("tiny.onnx"), 16, 8, 10, true);
        try (OnnxRuntimeBackend b = OnnxRuntimeBackend.open(model, BackendOptions.defaults().withIntraOpThreads(1))) {
            for (int i = 0; i < DISTINCT; i++) {
                FloatTensor x = Inputs.random(b.singleInput(), 1, 16, 1000 + i);
                inputs.add(x);
                expected.add(b.run(x)); // single-threaded, one image per run
            }
        }
    }

    @Test
    void concurrentCallsEachGetTheirOwnResult() throws Exception {
        try (InferenceSession s = InferenceSession.open(
                OnnxRuntimeBackend.open(model, BackendOptions.defaults().withIntraOpThreads(1)))) {
            hammer(s, 0f);
            assertEquals(0, s.batchesRun());
        }
    }

    @Test
    void dynamicBatchingGivesEveryCallerItsOwnSlice() throws Exception {
        try (InferenceSession s = InferenceSession.open(
                OnnxRuntimeBackend.open(model, BackendOptions.defaults().withIntraOpThreads(1)),
                new InferenceSession.Batching(8, Duration.ofMillis(2), 2))) {
            // bitwise equal on this graph in practice; 1e-6 leaves room for a GEMM kernel that blocks by batch size
            hammer(s, 1e-6f);
            assertTrue(s.batchesRun() < THREADS * REQUESTS, "requests were batched: " + s.batchesRun() + " runs");
        }
    }

    @Test
    void maxBatchMustFitTheBackend() throws Exception {
        try (OnnxRuntimeBackend ort = OnnxRuntimeBackend.open(model, BackendOptions.defaults().withIntraOpThreads(1))) {
            assertEquals(Integer.MAX_VALUE, ort.maxBatch(), "a dynamic batch has no limit on ONNX Runtime");
            Backend upTo4 = new Backend() { // as a TensorRT plan built for batch 1:4:4 reports it
                public String name() { return "tensorrt"; }
                public String device() { return ort.device(); }
                public Path modelPath() { return Path.of("m.plan"); }
                public List<TensorSpec> inputs() { return ort.inputs(); }
                public List<TensorSpec> outputs() { return ort.outputs(); }
                public Map<String, String> metadata() { return ort.metadata(); }
                public Map<String, FloatTensor> run(Map<String, FloatTensor> in) throws BackendException {
                    return ort.run(in);
                }
                public int maxBatch() { return 4; }
                public void close() { }
            };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InferenceSession.wrap(
                    upTo4, new InferenceSession.Batching(8, Duration.ofMillis(2), 1)));
            assertEquals("m.plan: max batch 8 exceeds the largest batch the tensorrt backend takes (4, the end of its"
                    + " engine's optimization profile); build the engine for a larger batch range or lower max batch",
                    e.getMessage());
            try (InferenceSession ok = InferenceSession.wrap(upTo4, new InferenceSession.Batching(4,
                    Duration.ofMillis(2), 1))) {
                assertArrayEquals(expected.get(0).data(), ok.infer(inputs.get(0)).values().iterator().next().data(),
                        1e-6f);
            }
        }
    }

    @Test
    void batchedRequestsOfSeveralImagesAndClose() throws Exception {
        InferenceSession s = InferenceSession.open(
                OnnxRuntimeBackend.open(model, BackendOptions.defaults().withIntraOpThreads(1)),
                new InferenceSession.Batching(4, Duration.ofMillis(1), 1));
        float[] two = new float[2 * 3 * 16 * 16];
        System.arraycopy(inputs.get(0).data(), 0, two, 0, 768);
        System.arraycopy(inputs.get(1).data(), 0, two, 768, 768);
        FloatTensor y = s.inferFirst(new FloatTensor(new long[] {2, 3, 16, 16}, two));
        assertArrayEquals(new long[] {2, 10}, y.shape());
        for (int k = 0; k < 10; k++) {
            assertEquals(expected.get(1).data()[k], y.data()[10 + k], 1e-5f);
        }
        FloatTensor big = FloatTensor.zeros(6, 3, 16, 16); // over max batch: runs alone
        assertArrayEquals(new long[] {6, 10}, s.inferFirst(big).shape());
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.infer(inputs.get(0)));
    }

    private static void hammer(InferenceSession s, float tolerance) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < REQUESTS; r++) {
                        int i = (thread * 31 + r * 7) % DISTINCT;
                        FloatTensor y = s.inferFirst(inputs.get(i));
                        float[] e = expected.get(i).data();
                        assertArrayEquals(new long[] {1, 10}, y.shape());
                        for (int k = 0; k < e.length; k++) {
                            if (Math.abs(e[k] - y.data()[k]) > tolerance) {
                                throw new AssertionError("thread " + thread + " request " + r + ": logit " + k + " "
                                        + y.data()[k] + " != " + e[k]);
                            }
                        }
                    }
                    return REQUESTS;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            assertEquals(THREADS * REQUESTS, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
