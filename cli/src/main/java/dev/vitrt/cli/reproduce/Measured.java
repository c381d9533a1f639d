package dev.vitrt.cli.reproduce;

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
 */
public record Measured(ModelRun run, long parameters, long macs, Spread latency, Spread cpu, BlockProfile blocks,
                       double profiledMs) {

    public double gmacs() {
        return macs / 1e9;
    }

    public double paramsMillions() {
        return parameters / 1e6;
    }

    /** Median latency per image (ms). */
    public double msPerImage() {
        return latency.median() / run.batch();
    }

    /** Images per second at the median latency. */
    public double throughput() {
        return run.batch() * 1000.0 / latency.median();
    }

    /**
     * Time in the given part of the given block type, as a share of the profiled run, applied to the interleaved
     * median: the profile gives the proportions, the interleaved rounds the latency. NaN when not profiled.
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
        return ms / profiledMs * latency.median();
    }
}
