package dev.vitrt.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark keeps a GPU run's compute time of every timed run beside its host latency. */
class GpuTimingTest {
    /** A run whose GPU time is 1, 2, 3... ms in turn, as CUDA events would report. */
    static final class FakeGpuRun implements Backend.PreparedRun, GpuTimed {
        int runs;

        @Override
        public Map<String, FloatTensor> run() {
            runs++;
            return Map.of();
        }

        @Override
        public void runDiscardingOutputs() {
            runs++;
        }

        @Override
        public double lastGpuComputeMs() {
            return runs;
        }

        @Override
        public boolean cudaGraph() {
            return false;
        }

        @Override
        public String cudaGraphNote() {
            return "capture refused";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void timedRunsOnlyAfterWarmUp() throws Exception {
        FakeGpuRun run = new FakeGpuRun();
        LatencyBenchmark.Timings t = LatencyBenchmark.timed(run, 4, LatencyBenchmark.Config.iterations(2, 3),
                Progress.NONE);
        assertEquals(3, t.host().runs());
        GpuTiming g = t.gpu();
        assertEquals(3, g.compute().runs());
        assertEquals(4.0, g.compute().mean(), 1e-12, "runs 3, 4, 5 after two warm-up runs");
        assertEquals(1000.0, g.compute().throughputIps(), 1e-9);
        assertFalse(g.cudaGraph());
        assertEquals("capture refused", g.note());
    }

    @Test
    void aCpuRunHasNoGpuTiming() throws Exception {
        Backend.PreparedRun cpu = new Backend.PreparedRun() {
            @Override
            public Map<String, FloatTensor> run() {
                return Map.of();
            }

            @Override
            public void runDiscardingOutputs() {
            }

            @Override
            public void close() {
            }
        };
        assertNull(LatencyBenchmark.timed(cpu, 1, LatencyBenchmark.Config.iterations(0, 2), Progress.NONE).gpu());
    }
}
