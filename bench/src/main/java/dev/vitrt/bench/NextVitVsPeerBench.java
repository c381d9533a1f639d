package dev.vitrt.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.ort.OrtEnvironments;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Latency of our {@code nextvit_small} graph against the PyTorch-exported peer graph
 * ({@code nextvit_small.peer.onnx} from the timm fixtures) on ONNX Runtime CPU: the same session options for both,
 * runs interleaved round by round so that machine load hits both alike. Prints mean and median per batch size and
 * the ratio ours / peer (below 1 is faster), and the median of paired ratios (run i of each, neighbours in time).
 * With {@code --threads 1} ONNX Runtime computes on the calling thread, so its CPU time is reported too: on a shared
 * machine that figure is the one that does not depend on how long the benchmark waited for a core.
 *
 * <p>Run from the repository root: {@code bench/run NextVitVsPeerBench --batches 1,8}.
 *
 * <p>Usage: {@code NextVitVsPeerBench [--peer FILE] [--batches 1,8] [--rounds N] [--iters N] [--threads N] [--ours FILE]}
 */
public final class NextVitVsPeerBench {
    private NextVitVsPeerBench() {
    }

    public static void main(String[] args) throws Exception {
        Path peer = Path.of(System.getProperty("vitrt.fixtures", "../shared/fixtures/timm"), "nextvit_small.peer.onnx");
        int[] batches = {1, 8};
        int rounds = 10;
        int iters = 5;
        int threads = 0;
        Path ours = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--peer" -> peer = Path.of(args[++i]);
                case "--ours" -> ours = Path.of(args[++i]);
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isRegularFile(peer)) {
            throw new IllegalArgumentException("peer graph not found: " + peer + " (set -Dvitrt.fixtures or --peer)");
        }
        byte[] ourBytes = ours != null ? Files.readAllBytes(ours)
                : OnnxWriter.toBytes(Exporter.export("nextvit_small", ExportOptions.defaults()).graph());
        byte[] peerBytes = Files.readAllBytes(peer);
        OrtEnvironment env = OrtEnvironments.get();
        System.out.printf(Locale.ROOT, "ONNX Runtime %s, CPU, ORT_ENABLE_ALL, intra-op threads %s, %d cores visible%n",
                env.getVersion(), threads == 0 ? "default" : threads, Runtime.getRuntime().availableProcessors());
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                opts.setIntraOpNumThreads(threads);
            }
            singleThread = threads == 1;
            try (OrtSession a = env.createSession(ourBytes, opts); OrtSession b = env.createSession(peerBytes, opts)) {
                for (int batch : batches) {
                    compare(env, a, b, batch, rounds, iters);
                }
            }
        }
    }

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static boolean singleThread;

    private static void compare(OrtEnvironment env, OrtSession ours, OrtSession peer, int batch, int rounds, int iters)
            throws OrtException {
        long[] shape = {batch, 3, 224, 224};
        float[] data = new float[batch * 3 * 224 * 224];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape)) {
            // warm-up: first runs allocate arenas and pack weights
            for (int i = 0; i < 3; i++) {
                time(ours, in);
                time(peer, in);
            }
            double[] ta = new double[rounds * iters];
            double[] tb = new double[rounds * iters];
            double[] ca = new double[rounds * iters];
            double[] cb = new double[rounds * iters];
            for (int round = 0; round < rounds; round++) {
                boolean oursFirst = round % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean runOurs = (k == 0) == oursFirst;
                    for (int i = 0; i < iters; i++) {
                        long c0 = CPU.getCurrentThreadCpuTime();
                        double t = time(runOurs ? ours : peer, in);
                        (runOurs ? ta : tb)[round * iters + i] = t;
                        (runOurs ? ca : cb)[round * iters + i] = (CPU.getCurrentThreadCpuTime() - c0) / 1e6;
                    }
                }
                System.err.printf(Locale.ROOT, "\rbatch %d: round %d/%d", batch, round + 1, rounds);
            }
            System.err.println();
            double ma = mean(ta);
            double mb = mean(tb);
            double medA = median(ta);
            double medB = median(tb);
            System.out.printf(Locale.ROOT, "batch %d: ours mean %.2f ms median %.2f ms | peer mean %.2f ms median %.2f ms"
                    + " | ratio mean %.3f median %.3f%n", batch, ma, medA, mb, medB, ma / mb, medA / medB);
            double[] paired = new double[ta.length];
            for (int i = 0; i < ta.length; i++) {
                paired[i] = ta[i] / tb[i];
            }
            // runs i of ours and the peer are neighbours in time: their ratio cancels slow drifts in machine load
            System.out.printf(Locale.ROOT, "batch %d: median of paired ratios %.3f (%d pairs)%n", batch, median(paired),
                    paired.length);
            if (singleThread) {
                // with one intra-op thread ORT computes on the calling thread: its CPU time ignores waits for a core
                System.out.printf(Locale.ROOT, "batch %d CPU time: ours median %.2f ms | peer median %.2f ms | ratio %.3f%n",
                        batch, median(ca), median(cb), median(ca) / median(cb));
            }
        }
    }

    private static double time(OrtSession s, OnnxTensor in) throws OrtException {
        long t0 = System.nanoTime();
        try (OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), in))) {
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
