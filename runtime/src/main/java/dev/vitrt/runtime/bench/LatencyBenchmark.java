package dev.vitrt.runtime.bench;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Measures end-to-end latency the way trtexec does: warm-up runs (not recorded), then timed runs, each timed alone
 * with {@link System#nanoTime()} around one synchronous run on inputs bound once. On a GPU that is the host latency
 * (copies in, enqueue, copies out, synchronize); a {@link GpuTimed} run also gives each run's GPU compute time.
 */
public final class LatencyBenchmark {

    /**
     * What to run.
     *
     * @param warmup     runs before timing starts
     * @param iterations timed runs; with a time budget, the most timed runs (0 = no limit)
     * @param timeBudget if not null, time runs until this much time has passed (at least one run)
     */
    public record Config(int warmup, int iterations, Duration timeBudget) {
        public Config {
            if (warmup < 0) {
                throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
            }
            if (iterations < 0 || (iterations == 0 && timeBudget == null)) {
                throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
            }
            if (timeBudget != null && (timeBudget.isNegative() || timeBudget.isZero())) {
                throw new IllegalArgumentException("time budget must be positive, got " + timeBudget);
            }
        }

        /** A fixed number of timed runs. */
        public static Config iterations(int warmup, int iterations) {
            return new Config(warmup, iterations, null);
        }
    }

    private LatencyBenchmark() {
    }

    /**
     * Host latency and, on a GPU backend, GPU compute time of the same runs.
     *
     * @param host the wall time of each run (for a GPU: copies in, enqueue, copies out, synchronize)
     * @param gpu  GPU compute times, or null for a backend that does not measure them
     */
    public record Timings(LatencyStats host, GpuTiming gpu) {
    }

    /** Runs the benchmark; {@code batch} is the number of images one run processes (for throughput). */
    public static LatencyStats run(Backend backend, Map<String, FloatTensor> inputs, int batch, Config config,
            Progress progress) throws BackendException {
        return timed(backend, inputs, batch, config, progress).host();
    }

    /** Runs the benchmark and returns host latency and, where the backend measures it, GPU compute time. */
    public static Timings timed(Backend backend, Map<String, FloatTensor> inputs, int batch, Config config,
            Progress progress) throws BackendException {
        try (Backend.PreparedRun run = backend.prepare(inputs)) {
            return timed(run, batch, config, progress);
        }
    }

    /** Runs the benchmark on inputs already bound. */
    public static LatencyStats run(Backend.PreparedRun run, int batch, Config config, Progress progress)
            throws BackendException {
        return timed(run, batch, config, progress).host();
    }

    /** Runs the benchmark on inputs already bound, with GPU compute times where the run measures them. */
    public static Timings timed(Backend.PreparedRun run, int batch, Config config, Progress progress)
            throws BackendException {
        for (int i = 0; i < config.warmup(); i++) {
            run.runDiscardingOutputs();
            progress.update("warm-up", i + 1, config.warmup());
        }
        int cap = config.iterations() > 0 ? config.iterations() : Integer.MAX_VALUE;
        long budgetNs = config.timeBudget() == null ? Long.MAX_VALUE : config.timeBudget().toNanos();
        double[] ms = new double[Math.min(cap, 1 << 16)];
        GpuTiming.Recorder gpu = GpuTiming.recorder(run, ms.length);
        int n = 0;
        long start = System.nanoTime();
        while (n < cap) {
            long t0 = System.nanoTime();
            run.runDiscardingOutputs();
            long t1 = System.nanoTime();
            if (gpu != null) {
                gpu.record();
            }
            if (n == ms.length) {
                ms = Arrays.copyOf(ms, ms.length * 2);
            }
            ms[n++] = (t1 - t0) / 1e6;
            long elapsed = t1 - start;
            if (config.timeBudget() != null) {
                progress.update("latency", Math.min(elapsed, budgetNs) / 1_000_000, budgetNs / 1_000_000);
                if (elapsed >= budgetNs) {
                    break;
                }
            } else {
                progress.update("latency", n, cap);
            }
        }
        return new Timings(LatencyStats.of(Arrays.copyOf(ms, n), batch), gpu == null ? null : gpu.finish(batch));
    }
}
