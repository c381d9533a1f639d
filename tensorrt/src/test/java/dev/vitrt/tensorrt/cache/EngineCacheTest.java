package dev.vitrt.tensorrt.cache;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.TensorSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.BuildListener;
import dev.vitrt.runtime.Precision;
import dev.vitrt.tensorrt.PlanManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine cache's logic with a fake builder that counts its builds: keys, staleness, concurrent first use. */
class EngineCacheTest {
    static final EngineFactory.Target H100 = new EngineFactory.Target("11.2.1", "NVIDIA H100 80GB HBM3", "9.0");

    /** Writes a plan (the key's text as bytes) and a manifest as the real builder would, and counts. */
    static final class CountingFactory implements EngineFactory {
        final AtomicInteger builds = new AtomicInteger();
        volatile Target target = H100;
        volatile long buildMillis;
        volatile boolean fail;

        @Override
        public Target target(int deviceId) {
            return target;
        }

        @Override
        public void build(Path onnx, BuildOptions o, int deviceId, Path plan, BuildListener listener)
                throws IOException, BackendException {
            builds.incrementAndGet();
            listener.message("info", "building " + onnx.getFileName());
            try {
                Thread.sleep(buildMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (fail) {
                throw new BackendException("TensorRT's ONNX parser rejected " + onnx);
            }
            Files.writeString(plan, "engine of " + onnx.getFileName() + " " + o.precision() + " " + o.batch());
            manifest(o.precision().label(), target).writeFor(plan);
        }
    }

    static PlanManifest manifest(String precision, EngineFactory.Target t) {
        return new PlanManifest(PlanManifest.FORMAT, "tiny", precision,
                List.of(new TensorSpec("input", ElementType.FLOAT32, new long[] {-1, 3, 16, 16})),
                List.of(new TensorSpec("logits", ElementType.FLOAT32, new long[] {-1, 10})),
                new BatchRange(1, 1, 1), t.tensorRtVersion(), t.gpuName(), t.computeCapability(), "none",
                "ab".repeat(32), "tiny.onnx", Map.of(), "2026-01-01T00:00:00Z");
    }

    static Path graph(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content); // the cache hashes bytes; they need not be ONNX here
    }

    static BuildOptions options(Precision p, BatchRange batch) {
        BuildOptions d = BuildOptions.defaults(p);
        return new BuildOptions(p, batch, null, d.workspaceMiB(), d.optimizationLevel(), null, "none", false);
    }

    static final BuildOptions FP16 = options(Precision.FP16, new BatchRange(1, 1, 1));

    @Test
    void firstUseBuildsAndLaterUsesLoad(@TempDir Path dir) throws Exception {
        Path onnx = graph(dir, "tiny.onnx", "graph A");
        CountingFactory f = new CountingFactory();
        EngineCache cache = new EngineCache(dir.resolve("engines"), f);
        List<String> messages = new ArrayList<>();
        EngineCache.Entry first = cache.obtain(onnx, FP16, 0, (severity, text) -> messages.add(text));
        assertTrue(first.built());
        assertEquals(List.of("building tiny.onnx"), messages);
        assertTrue(first.plan().getFileName().toString().matches("tiny-fp16-[0-9a-f]{20}\\.plan"), first.plan().toString());
        assertTrue(Files.isRegularFile(PlanManifest.pathFor(first.plan())));
        assertEquals(first.key().text(), Files.readString(EngineCache.keyFile(first.plan())));

        EngineCache.Entry again = new EngineCache(dir.resolve("engines"), f).obtain(onnx, FP16, 0, BuildListener.NONE);
        assertFalse(again.built());
        assertEquals(first.plan(), again.plan());
        assertEquals(1, f.builds.get());
        assertEquals(Set.of(), leftovers(dir.resolve("engines")), "no temporary files stay");
    }

    @Test
    void theKeyCoversGraphPrecisionProfileGpuAndTensorRt(@TempDir Path dir) throws Exception {
        Path a = graph(dir, "tiny.onnx", "graph A");
        CountingFactory f = new CountingFactory();
        EngineCache cache = new EngineCache(dir, f);
        Set<Path> plans = new java.util.HashSet<>();
        plans.add(cache.obtain(a, FP16, 0, BuildListener.NONE).plan());
        plans.add(cache.obtain(a, options(Precision.FP32, new BatchRange(1, 1, 1)), 0, BuildListener.NONE).plan());
        plans.add(cache.obtain(a, options(Precision.FP16, new BatchRange(1, 8, 16)), 0, BuildListener.NONE).plan());
        Files.writeString(a, "graph A, retrained"); // same name, other bytes
        plans.add(cache.obtain(a, FP16, 0, BuildListener.NONE).plan());
        f.target = new EngineFactory.Target("11.2.1", "NVIDIA L4", "8.9");
        plans.add(cache.obtain(a, FP16, 0, BuildListener.NONE).plan());
        f.target = new EngineFactory.Target("11.3.0", "NVIDIA L4", "8.9");
        plans.add(cache.obtain(a, FP16, 0, BuildListener.NONE).plan());
        assertEquals(6, f.builds.get());
        assertEquals(6, plans.size(), "every variant has its own entry");
        // and the first ones are still there for their settings
        f.target = H100;
        Files.writeString(a, "graph A");
        assertFalse(cache.obtain(a, FP16, 0, BuildListener.NONE).built());
        assertEquals(6, f.builds.get());
    }

    @Test
    void keysAreStableAndSayWhatTheyHold() {
        EngineKey k = EngineKey.of("cd".repeat(32), "nextvit_small", FP16, H100);
        assertEquals(k, EngineKey.of("cd".repeat(32), "nextvit_small", FP16, H100));
        assertEquals(k.id(), EngineKey.of("cd".repeat(32), "nextvit_small", FP16, H100).id());
        assertNotEquals(k.id(), EngineKey.of("cd".repeat(32), "nextvit_small",
                options(Precision.FP16, new BatchRange(1, 1, 2)), H100).id());
        assertEquals("graph-sha256: " + "cd".repeat(32) + "\nmodel: nextvit_small\nprecision: fp16\n"
                + "profile: batch 1:1:1, size graph's own\nbuilder: workspace 4096 MiB, level 3, hardware compatibility"
                + " none\ngpu: NVIDIA H100 80GB HBM3\ncompute-capability: 9.0\ntensorrt: 11.2.1\nformat: "
                + EngineCache.FORMAT + "\n", k.text());
    }

    @Test
    void staleOrForeignEntriesAreRebuiltNeverLoaded(@TempDir Path dir) throws Exception {
        Path onnx = graph(dir, "tiny.onnx", "graph A");
        CountingFactory f = new CountingFactory();
        EngineCache cache = new EngineCache(dir, f);
        Path plan = cache.obtain(onnx, FP16, 0, BuildListener.NONE).plan();
        Path key = EngineCache.keyFile(plan);

        // a manifest of another TensorRT under this entry's name (e.g. copied from another machine)
        manifest("fp16", new EngineFactory.Target("11.1.0", H100.gpuName(), "9.0")).writeFor(plan);
        assertTrue(cache.problem(cache.obtain(onnx, FP16, 0, BuildListener.NONE).key(), plan) == null);
        assertEquals(2, f.builds.get(), "an entry of another TensorRT is rebuilt");

        manifest("fp16", new EngineFactory.Target("11.2.1", "NVIDIA L4", "8.9")).writeFor(plan);
        assertTrue(cache.obtain(onnx, FP16, 0, BuildListener.NONE).built(), "an entry of another GPU is rebuilt");

        Files.writeString(key, Files.readString(key).replace("precision: fp16", "precision: fp32"));
        assertTrue(cache.obtain(onnx, FP16, 0, BuildListener.NONE).built(), "a foreign key is rebuilt");

        Files.delete(key); // a build that died before writing its key
        assertTrue(cache.obtain(onnx, FP16, 0, BuildListener.NONE).built(), "an entry without a key is rebuilt");

        Files.write(plan, new byte[0]);
        assertTrue(cache.obtain(onnx, FP16, 0, BuildListener.NONE).built(), "an empty plan is rebuilt");

        Files.writeString(PlanManifest.pathFor(plan), "{ not json");
        assertTrue(cache.obtain(onnx, FP16, 0, BuildListener.NONE).built(), "an unreadable manifest is rebuilt");
        assertEquals(7, f.builds.get());
        assertFalse(cache.obtain(onnx, FP16, 0, BuildListener.NONE).built());
    }

    @Test
    void entriesWrittenBeforeTensorSpecsStillLoad(@TempDir Path dir) throws Exception {
        Path onnx = graph(dir, "tiny.onnx", "graph A");
        CountingFactory f = new CountingFactory();
        EngineCache cache = new EngineCache(dir, f);
        Path plan = cache.obtain(onnx, FP16, 0, BuildListener.NONE).plan();
        String old; // fp16, TensorRT 11.2.1 on an H100 (compute capability 9.0), as H100 here
        try (var in = EngineCacheTest.class.getResourceAsStream("/manifests/format1-38993a4.plan.json")) {
            old = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Files.writeString(PlanManifest.pathFor(plan), old);
        assertFalse(cache.obtain(onnx, FP16, 0, BuildListener.NONE).built(), "an entry of the previous VitRT loads");
        Files.writeString(PlanManifest.pathFor(plan), old.replace("\"fp8\"", "\"float9\""));
        assertTrue(cache.obtain(onnx, FP16, 0, BuildListener.NONE).built(), "a dtype it cannot read is rebuilt");
        assertEquals(2, f.builds.get());
    }

    @Test
    void concurrentFirstUseBuildsOnce(@TempDir Path dir) throws Exception {
        Path onnx = graph(dir, "tiny.onnx", "graph A");
        CountingFactory f = new CountingFactory();
        f.buildMillis = 300; // long enough that every thread asks while the build runs
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<EngineCache.Entry>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                // separate cache objects on one folder, as separate services of one process would have
                EngineCache cache = new EngineCache(dir.resolve("engines"), f);
                results.add(pool.submit(() -> {
                    go.await();
                    return cache.obtain(onnx, FP16, 0, BuildListener.NONE);
                }));
            }
            go.countDown();
            Set<Path> plans = ConcurrentHashMap.newKeySet();
            int built = 0;
            for (Future<EngineCache.Entry> r : results) {
                EngineCache.Entry e = r.get(30, TimeUnit.SECONDS);
                plans.add(e.plan());
                built += e.built() ? 1 : 0;
            }
            assertEquals(1, f.builds.get(), "one build for " + threads + " concurrent first uses");
            assertEquals(1, built);
            assertEquals(1, plans.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedBuildLeavesNothingAndTheNextUseBuilds(@TempDir Path dir) throws Exception {
        Path onnx = graph(dir, "tiny.onnx", "graph A");
        CountingFactory f = new CountingFactory();
        f.fail = true;
        EngineCache cache = new EngineCache(dir.resolve("engines"), f);
        BackendException e = assertThrows(BackendException.class,
                () -> cache.obtain(onnx, FP16, 0, BuildListener.NONE));
        assertTrue(e.getMessage().contains("parser rejected"), e.getMessage());
        assertEquals(Set.of(), leftovers(dir.resolve("engines")));
        f.fail = false;
        assertTrue(cache.obtain(onnx, FP16, 0, BuildListener.NONE).built());
        assertEquals(2, f.builds.get());
    }

    @Test
    void evictedEntriesAreBuiltAgain(@TempDir Path dir) throws Exception {
        Path onnx = graph(dir, "tiny.onnx", "graph A");
        CountingFactory f = new CountingFactory();
        EngineCache cache = new EngineCache(dir, f);
        EngineCache.Entry e = cache.obtain(onnx, FP16, 0, BuildListener.NONE);
        cache.evict(e);
        assertFalse(Files.exists(e.plan()));
        assertTrue(cache.obtain(onnx, FP16, 0, BuildListener.NONE).built());
    }

    @Test
    void theDefaultFolderCanBeMoved() {
        assertEquals(Path.of("/home/u/.cache/vitrt/engines"), EngineCache.defaultDirectory(null, null, null, "/home/u"));
        assertEquals(Path.of("/xdg/vitrt/engines"), EngineCache.defaultDirectory(null, null, "/xdg", "/home/u"));
        assertEquals(Path.of("/env"), EngineCache.defaultDirectory(null, "/env", "/xdg", "/home/u"));
        assertEquals(Path.of("/prop"), EngineCache.defaultDirectory("/prop", "/env", "/xdg", "/home/u"));
    }

    /** Files in the cache folder other than complete entries (plan, manifest, key) and lock files. */
    static Set<String> leftovers(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.matches(".*\\.(plan|plan\\.json|key|lock)") || n.startsWith("."))
                    .collect(Collectors.toSet());
        }
    }
}
