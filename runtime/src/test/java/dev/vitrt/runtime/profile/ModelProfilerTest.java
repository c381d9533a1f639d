package dev.vitrt.runtime.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.bench.Inputs;
import dev.vitrt.runtime.bench.LatencyBenchmark;
import dev.vitrt.runtime.bench.LatencyStats;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelProfilerTest {
    @TempDir
    Path dir;

    @Test
    void foldsTaggedModelIntoItsBlocksAndParts() throws Exception {
        Path m = TinyModels.taggedCnn(dir.resolve("t.onnx"), 32, 16, 10, true);
        try (OnnxRuntimeBackend b = OnnxRuntimeBackend.open(m, BackendOptions.defaults().withIntraOpThreads(1))) {
            FloatTensor x = Inputs.random(b.singleInput(), 2, 32, 7);
            AtomicLong last = new AtomicLong();
            ModelProfiler.Result r = ModelProfiler.profile(b, Map.of("input", x), 2,
                    new ModelProfiler.Config(2, 20, true), (l, d, n) -> last.set(d * 1000 + n));
            assertEquals(44_044, last.get(), "progress reaches total (2 kinds x 22 runs)");
            assertEquals(20, r.latency().runs());
            BlockProfile p = r.blocks();
            assertEquals(List.of("Stem", "Blk", "Head", "other"),
                    p.blocks().stream().map(BlockProfile.BlockRow::type).toList());
            assertEquals(2, p.row("Blk").count());
            assertTrue(p.row("Blk").ms() > p.row("Head").ms(), "two conv blocks outweigh the head");
            assertTrue(p.parts().stream().anyMatch(q -> q.part().equals("Mixer") && q.ms() > 0));
            // ONNX Runtime's layer times come net of its profiler's own per-node cost, measured, and are not scaled;
            // the rest of the mean is the runtime's own time (its size depends on the machine, so it is not checked)
            assertTrue(r.layers().net(), "profiler cost measured");
            assertTrue(r.layers().profilerCostMs() > 0, "cost " + r.layers().profilerCostMs());
            assertEquals(1.0, r.layerScale());
            assertTrue(r.layers().layers().stream().allMatch(l -> l.ms() >= 0));
            assertEquals(r.latency().mean(), p.totalMs() + r.outsideLayersMs(), 1e-9);
        }
    }

    @Test
    void profilerCostComesOutOfEveryLayerButNeverBelowZero() {
        LayerTimings t = new LayerTimings(List.of(new LayerTime("a/Conv", "Conv", 0.5),
                new LayerTime("b/Reshape", "Reshape", 0.002)), 10, 1.0, Set.of(ElementType.FLOAT32));
        assertFalse(t.net());
        LayerTimings n = t.lessProfilerCost(0.004);
        assertTrue(n.net());
        assertEquals(0.496, n.layers().get(0).ms(), 1e-12);
        assertEquals(0.0, n.layers().get(1).ms());
        assertEquals(0.004, n.profilerCostMs());
    }

    @Test
    void latencyBenchmarkCountsRunsAndPercentiles() throws Exception {
        Path m = TinyModels.taggedCnn(dir.resolve("t.onnx"), 16, 8, 10, false);
        try (OnnxRuntimeBackend b = OnnxRuntimeBackend.open(m, BackendOptions.defaults().withIntraOpThreads(1))) {
            FloatTensor x = Inputs.random(b.singleInput(), 4, 16, 1);
            LatencyStats s = LatencyBenchmark.run(b, Map.of("input", x), 4, LatencyBenchmark.Config.iterations(3, 25),
                    Progress.NONE);
            assertEquals(25, s.runs());
            assertTrue(s.min() <= s.p50() && s.p50() <= s.p90() && s.p90() <= s.p99() && s.p99() <= s.max());
            assertEquals(4000 / s.mean(), s.throughputIps(), 1e-9);
            LatencyStats timed = LatencyBenchmark.run(b, Map.of("input", x), 4,
                    new LatencyBenchmark.Config(0, 0, java.time.Duration.ofMillis(100)), Progress.NONE);
            assertTrue(timed.runs() >= 1);
            ModelProfiler.Result untagged = ModelProfiler.profile(b, Map.of("input", x), 4,
                    new ModelProfiler.Config(1, 5, true), Progress.NONE);
            assertEquals(1, untagged.blocks().blocks().size(), "untagged: everything is other");
            assertEquals("other", untagged.blocks().blocks().get(0).type());
        }
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5.5, LatencyStats.percentile(v, 50), 1e-12);
        assertEquals(9.1, LatencyStats.percentile(v, 90), 1e-12);
        assertEquals(9.91, LatencyStats.percentile(v, 99), 1e-12);
    }
}
