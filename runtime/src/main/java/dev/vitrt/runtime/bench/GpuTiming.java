package dev.vitrt.runtime.bench;

/**
 * What a GPU backend measured beside the host latency of the same runs: the GPU compute time of each run (CUDA events
 * around the enqueue, what trtexec reports as GPU Compute Time; host-device copies and host overhead excluded), and
 * whether the enqueue was replayed as a CUDA graph.
 *
 * @param compute   per-run GPU compute time statistics (throughput from it is the GPU's alone)
 * @param cudaGraph whether the runs replayed a CUDA graph of the enqueue
 * @param note      why a CUDA graph asked for was not used, or null
 */
public record GpuTiming(LatencyStats compute, boolean cudaGraph, String note) {

    /** Collects per-run GPU times from a {@link GpuTimed} run; null for runs that are not GPU-timed. */
    static Recorder recorder(Object run, int capacity) {
        return run instanceof GpuTimed g ? new Recorder(g, capacity) : null;
    }

    /** Per-run GPU compute times of one benchmark. */
    static final class Recorder {
        private final GpuTimed run;
        private double[] ms;
        private int n;

        Recorder(GpuTimed run, int capacity) {
            this.run = run;
            this.ms = new double[Math.max(1, capacity)];
        }

        /** Records the GPU time of the run just made. */
        void record() {
            if (n == ms.length) {
                ms = java.util.Arrays.copyOf(ms, ms.length * 2);
            }
            ms[n++] = run.lastGpuComputeMs();
        }

        GpuTiming finish(int batch) {
            return n == 0 ? null : new GpuTiming(LatencyStats.of(java.util.Arrays.copyOf(ms, n), batch), run.cudaGraph(),
                    run.cudaGraphNote());
        }
    }
}
