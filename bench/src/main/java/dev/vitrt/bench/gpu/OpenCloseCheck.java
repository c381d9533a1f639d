package dev.vitrt.bench.gpu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.tensorrt.Cuda;
import dev.vitrt.tensorrt.TensorRtBackend;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Opens a plan, runs it once and closes it, many times over, and compares the GPU's free memory before and after:
 * every engine, execution context and runtime must be destroyed on close (a leak costs at least the engine's size per
 * cycle).
 */
final class OpenCloseCheck {
    /** Free memory may differ by this much after all cycles (allocator caching, fragmentation), in MiB. */
    static final double TOLERANCE_MIB = 64;

    record Outcome(boolean passed, String line) {
    }

    private OpenCloseCheck() {
    }

    static Outcome run(Path plan, int cycles, ObjectNode j) {
        try {
            cycle(plan); // the first open sets up CUDA's context and TensorRT's caches: not a leak
            long before = Cuda.memoryInfo(0)[0];
            long t0 = System.nanoTime();
            for (int i = 0; i < cycles; i++) {
                cycle(plan);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long after = Cuda.memoryInfo(0)[0];
            double deltaMiB = (before - after) / (double) (1 << 20);
            boolean ok = Math.abs(deltaMiB) <= TOLERANCE_MIB;
            j.put("plan", plan.getFileName().toString());
            j.put("cycles", cycles);
            j.put("free_before_mib", before >> 20);
            j.put("free_after_mib", after >> 20);
            j.put("lost_mib", EngineCheck.round(deltaMiB));
            j.put("seconds", EngineCheck.round(seconds));
            j.put("passed", ok);
            return new Outcome(ok, String.format(Locale.ROOT, "open/run/close x%d of %s: free GPU memory %d -> %d MiB"
                    + " (%+.1f MiB, bound %.0f) in %.1f s: %s", cycles, plan.getFileName(), before >> 20, after >> 20,
                    -deltaMiB, TOLERANCE_MIB, seconds, ok ? "ok" : "LEAK"));
        } catch (Exception e) {
            j.put("error", GpuCheck.message(e));
            return new Outcome(false, "open/close cycles FAILED: " + GpuCheck.message(e));
        }
    }

    private static void cycle(Path plan) throws Exception {
        try (TensorRtBackend trt = TensorRtBackend.open(plan, BackendOptions.defaults())) {
            long[] shape = trt.singleInput().shape().clone();
            shape[0] = 1;
            trt.run(Map.of(trt.singleInput().name(), FloatTensor.zeros(shape)));
        }
    }
}
