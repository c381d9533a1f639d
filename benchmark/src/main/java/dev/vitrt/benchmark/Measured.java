package dev.vitrt.benchmark;

import dev.vitrt.runtime.profile.BlockProfile;

/**
 * A measured row: what the model is (parameters, MACs per image at its input size) and how fast it ran.
 *
 * @param run         what was measured
 * @param parameters  parameter count (timm's way)
 * @param macs        multiply-accumulates per image at the run's input size
 * @param latency     per-run latency (a run processes {@code run.batch()} images)
 * @param cpu         per-run CPU time of this process (all its threads), null where the JVM cannot tell; unlike the
 *                    wall time it hardly moves when other processes compete for the cores
 * @param blocks      layer times folded into block types and parts, scaled to the plain runs; null unless profiled
 * @param profiledMs  mean plain latency of the profiling pass that {@code blocks} is scaled to (NaN without)
 * @param estimator   which figure of the runs {@link #ms()} reports
 */
public record Measured(ModelRun run, long parameters, long macs, Spread latency, Spread cpu, BlockProfile blocks,
                       double profiledMs, Estimator estimator) {

    public double gmacs() {
        return macs / 1e9;
    }

    public double paramsMillions() {
        return parameters / 1e6;
    }

    /** The reported latency per run (ms): the estimator's figure of the runs. */
    public double ms() {
        return estimator.of(latency);
    }

    /** The band around {@link #ms()} another row must clear to differ from this one. */
    public double lo() {
        return estimator.lo(latency);
    }

    public double hi() {
        return estimator.hi(latency);
    }

    /** The reported CPU time per run (ms), NaN when not measured. */
    public double cpuMs() {
        return cpu == null ? Double.NaN : estimator.of(cpu);
    }

    /** Reported latency per image (ms). */
    public double msPerImage() {
        return ms() / run.batch();
    }

    /** Images per second at the reported latency. */
    public double throughput() {
        return run.batch() * 1000.0 / ms();
    }

    /**
     * Time in the given part of the given block type, as a share of the profiled run, applied to the reported
     * latency: the profile gives the proportions, the interleaved rounds the latency. NaN when not profiled.
     */
    public double partMs(String blockType, String part) {
        if (blocks == null || !(profiledMs > 0)) {
            return Double.NaN;
        }
        double ms = 0;
        for (BlockProfile.PartRow p : blocks.parts()) {
            if (p.block().equals(blockType) && p.part().equals(part)) {
                ms += p.ms();
            }
        }
        return ms / profiledMs * ms();
    }
}
