package dev.vitrt.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.bench.Inputs;
import dev.vitrt.runtime.bench.LatencyStats;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.ort.OrtEnvironments;
import dev.vitrt.runtime.profile.ModelProfiler;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Is the latency VitRT's profiler reports (with per-node profiling off) the latency plain ONNX Runtime gives on the
 * same graph? Plain: a bare {@code OrtSession} with the same options, one input tensor, {@code run(...).close()} timed
 * with {@code nanoTime}. VitRT: {@link ModelProfiler} with layers off, on an {@link OnnxRuntimeBackend}. Single runs
 * of the two alternate (order flipped each pair) so that load from other processes falls on both alike; the figures
 * compare mean, median, min and the 10%-trimmed mean.
 *
 * <p>Usage: {@code ProfilerOverheadBench MODEL.onnx [SIZE=224] [ROUNDS=10] [RUNS_PER_ROUND=20] [THREADS=0]}
 * ({@code ROUNDS x RUNS_PER_ROUND} pairs)
 */
public final class ProfilerOverheadBench {
    private ProfilerOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ProfilerOverheadBench MODEL.onnx [SIZE] [ROUNDS] [RUNS_PER_ROUND] [THREADS]");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 224;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;

        OrtEnvironment env = OrtEnvironments.get();
        try (OnnxRuntimeBackend vitrt = OnnxRuntimeBackend.open(model,
                BackendOptions.defaults().withIntraOpThreads(threads));
             OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
            }
            FloatTensor x = Inputs.random(vitrt.singleInput(), 1, size, 1);
            String inputName = vitrt.singleInput().name();
            try (OrtSession plain = env.createSession(model.toString(), so);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), x.shape())) {
                Map<String, OnnxTensor> feed = Map.of(inputName, t);
                for (int i = 0; i < 5; i++) { // warm-up both
                    plain.run(feed).close();
                }
                ModelProfiler.profile(vitrt, Map.of(inputName, x), 1, new ModelProfiler.Config(5, 1, false),
                        Progress.NONE);
                // pairs of single runs, order flipped every pair: load from other processes hits both alike
                int pairs = rounds * runs;
                double[] plainMs = new double[pairs];
                double[] vitrtMs = new double[pairs];
                Map<String, FloatTensor> in = Map.of(inputName, x);
                ModelProfiler.Config one = new ModelProfiler.Config(0, 1, false);
                for (int i = 0; i < pairs; i++) {
                    if (i % 2 == 0) {
                        plainMs[i] = plainMean(plain, feed, 1);
                        vitrtMs[i] = ModelProfiler.profile(vitrt, in, 1, one, Progress.NONE).latency().mean();
                    } else {
                        vitrtMs[i] = ModelProfiler.profile(vitrt, in, 1, one, Progress.NONE).latency().mean();
                        plainMs[i] = plainMean(plain, feed, 1);
                    }
                }
                LatencyStats p = LatencyStats.of(plainMs, 1);
                LatencyStats v = LatencyStats.of(vitrtMs, 1);
                System.out.printf(Locale.ROOT, "%s, %d pairs of runs, %s intra-op threads%n", model.getFileName(),
                        pairs, threads == 0 ? "default" : Integer.toString(threads));
                System.out.printf(Locale.ROOT, "  plain ORT:      mean %.3f  p50 %.3f  min %.3f ms%n", p.mean(), p.p50(),
                        p.min());
                System.out.printf(Locale.ROOT, "  VitRT profiler: mean %.3f  p50 %.3f  min %.3f ms%n", v.mean(), v.p50(),
                        v.min());
                System.out.printf(Locale.ROOT, "  overhead: mean %+.2f%%  p50 %+.2f%%  min %+.2f%%  trimmed mean %+.2f%%%n",
                        100 * (v.mean() / p.mean() - 1), 100 * (v.p50() / p.p50() - 1), 100 * (v.min() / p.min() - 1),
                        100 * (trimmedMean(vitrtMs) / trimmedMean(plainMs) - 1));
            }
        }
    }

    /** Mean of the middle 80%: robust to the stalls a shared machine adds. */
    private static double trimmedMean(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int cut = s.length / 10;
        return Arrays.stream(s, cut, s.length - cut).average().orElse(Double.NaN);
    }

    private static double plainMean(OrtSession s, Map<String, OnnxTensor> feed, int runs) throws Exception {
        double sum = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            s.run(feed).close();
            sum += (System.nanoTime() - t0) / 1e6;
        }
        return sum / runs;
    }
}
