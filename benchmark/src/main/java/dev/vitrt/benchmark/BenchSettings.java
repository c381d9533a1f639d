package dev.vitrt.benchmark;

import dev.vitrt.runtime.BackendKind;
import java.time.Duration;

/**
 * How a table measures.
 *
 * @param backend    backend asked for (auto picks TensorRT where it can run)
 * @param precision  {@code auto} (fp16 on TensorRT as the papers measured, fp32 on ONNX Runtime), {@code fp32} or
 *                   {@code fp16}
 * @param warmup     untimed runs of each model before the rounds
 * @param iterations the most interleaved rounds (timed runs per model)
 * @param budget     stop starting new rounds after this long (at least {@code minRounds}); null for no limit
 * @param minRounds  rounds always run, budget or not
 * @param threads    ONNX Runtime intra-op threads (0 = one per physical core)
 * @param estimator  which figure of a row's runs is its reported latency
 */
public record BenchSettings(BackendKind backend, String precision, int warmup, int iterations, Duration budget,
                            int minRounds, int threads, Estimator estimator) {
    public BenchSettings {
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        if (budget != null && (budget.isNegative() || budget.isZero())) {
            throw new IllegalArgumentException("budget must be positive, got " + budget.toSeconds() + " s");
        }
        if (!precision.equals("auto") && !precision.equals("fp32") && !precision.equals("fp16")) {
            throw new IllegalArgumentException("precision must be auto, fp32 or fp16 (int8 needs a calibrated Q/DQ"
                    + " graph per model, made by calibration), got '" + precision + "'");
        }
        minRounds = Math.max(1, Math.min(minRounds, iterations));
        if (estimator == null) {
            estimator = Estimator.MIN;
        }
    }
}
