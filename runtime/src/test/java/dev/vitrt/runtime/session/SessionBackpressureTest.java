package dev.vitrt.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The batcher's queue is bounded, a caller's wait is bounded, and a request given up on is never run. */
class SessionBackpressureTest {

    @Test
    void aFullQueueRefusesAndAGivenUpRequestIsDropped() throws Exception {
        Gate backend = new Gate();
        try (InferenceSession s = InferenceSession.open(backend,
                new InferenceSession.Batching(1, Duration.ZERO, 1, 2))) {
            CompletableFuture<Map<String, FloatTensor>> running = s.submit(image(1));
            assertTrue(backend.started.await(10, TimeUnit.SECONDS), "the worker took the first request");
            CompletableFuture<Map<String, FloatTensor>> queued = s.submit(image(2));
            // the second request waits; this one gives up on it after 50 ms and must never run
            assertThrows(TimeoutException.class, () -> s.infer(image(3), Duration.ofMillis(50)));
            assertEquals(1, s.queued());
            s.submit(image(4));
            assertEquals(2, s.queued());
            RejectedExecutionException full = assertThrows(RejectedExecutionException.class, () -> s.submit(image(5)));
            assertTrue(full.getMessage().contains("2 requests are queued already"), full.getMessage());
            backend.open.countDown();
            running.get(10, TimeUnit.SECONDS);
            queued.get(10, TimeUnit.SECONDS);
            assertEquals(2f, queued.get().get("y").data()[0]);
            while (s.queued() > 0) {
                Thread.sleep(5);
            }
            Thread.sleep(50);
            assertEquals(List.of(1f, 2f, 4f), backend.ran(), "the timed-out request never ran");
        }
    }

    private static FloatTensor image(float v) {
        return new FloatTensor(new long[] {1, 1}, new float[] {v});
    }

    /** A backend whose runs wait until the gate opens; it records the inputs it ran. */
    private static final class Gate implements Backend {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        private final List<Float> ran = new java.util.concurrent.CopyOnWriteArrayList<>();

        List<Float> ran() {
            return List.copyOf(ran);
        }

        @Override
        public Map<String, FloatTensor> run(Map<String, FloatTensor> in) {
            started.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            FloatTensor x = in.get("x");
            ran.add(x.data()[0]);
            return Map.of("y", new FloatTensor(x.shape(), x.data().clone()));
        }

        @Override
        public String name() {
            return "gate";
        }

        @Override
        public String device() {
            return "cpu";
        }

        @Override
        public Path modelPath() {
            return Path.of("gate.onnx");
        }

        @Override
        public List<TensorSpec> inputs() {
            return List.of(new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, 1}, new String[2]));
        }

        @Override
        public List<TensorSpec> outputs() {
            return List.of(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, 1}, new String[2]));
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    }
}
