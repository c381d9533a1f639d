package dev.vitrt.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Latency of our mobilevitv2 graph against PyTorch's export of the same timm model ({@code NAME.peer.onnx} in the
 * timm fixtures) on ONNX Runtime CPU, batch 1, side by side: both sessions live in one process with the same
 * options, and every round times a block of runs of each, alternating which goes first. Prints the median of the
 * per-round medians for each and their ratio (ours / peer; the issue asks for at most 0.95).
 *
 * <p>Usage: {@code MobileVitVsPeerBench [--model mobilevitv2_050] [--fixtures DIR] [--rounds 15] [--iters 20]
 * [--threads 0] [--save-ours FILE]} ({@code --threads 0}: ONNX Runtime's default).
 */
public final class MobileVitVsPeerBench {
    private MobileVitVsPeerBench() {
    }

    public static void main(String[] args) throws Exception {
        String model = "mobilevitv2_050";
        Path fixtures = Path.of(System.getProperty("vitrt.fixtures", "../shared/fixtures/timm"));
        int rounds = 15;
        int iters = 20;
        int threads = 0;
        Path saveOurs = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--fixtures" -> fixtures = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--save-ours" -> saveOurs = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path peer = fixtures.resolve(model + ".peer.onnx");
        if (!Files.isRegularFile(peer)) {
            throw new IllegalArgumentException("peer graph not found: " + peer);
        }
        Path weights = fixtures.resolve(model + ".safetensors");
        ExportOptions o = ExportOptions.defaults();
        ExportedModel ours = Exporter.export(model, Files.isRegularFile(weights) ? o.withWeights(weights) : o);
        byte[] oursBytes = OnnxWriter.toBytes(ours.graph());
        if (saveOurs != null) {
            Files.write(saveOurs, oursBytes);
        }
        int size = ours.size().height();
        float[] input = new float[3 * size * size];
        SplittableRandom r = new SplittableRandom(0);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) r.nextGaussian();
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                opts.setIntraOpNumThreads(threads);
            }
            try (OrtSession a = env.createSession(oursBytes, opts);
                 OrtSession b = env.createSession(peer.toString(), opts);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, size, size})) {
                String inA = a.getInputNames().iterator().next();
                String inB = b.getInputNames().iterator().next();
                for (int i = 0; i < 10; i++) { // warm-up
                    time(a, inA, x, 1);
                    time(b, inB, x, 1);
                }
                double[] medA = new double[rounds];
                double[] medB = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    if (round % 2 == 0) {
                        medA[round] = median(time(a, inA, x, iters));
                        medB[round] = median(time(b, inB, x, iters));
                    } else {
                        medB[round] = median(time(b, inB, x, iters));
                        medA[round] = median(time(a, inA, x, iters));
                    }
                    System.err.printf(Locale.ROOT, "round %d/%d: ours %.3f ms, peer %.3f ms%n", round + 1, rounds,
                            medA[round], medB[round]);
                }
                double ma = median(medA);
                double mb = median(medB);
                System.out.printf(Locale.ROOT, "%s %dx%d batch 1, ONNX Runtime CPU (%s threads), %d rounds x %d runs%n",
                        model, size, size, threads > 0 ? Integer.toString(threads) : "default", rounds, iters);
                System.out.printf(Locale.ROOT, "ours  median %.3f ms  (%d nodes)%n", ma, ours.graph().nodes.size());
                System.out.printf(Locale.ROOT, "peer  median %.3f ms  (%s)%n", mb, peer.getFileName());
                System.out.printf(Locale.ROOT, "ratio ours/peer %.3f%n", ma / mb);
            }
        }
    }

    private static double[] time(OrtSession s, String inputName, OnnxTensor x, int n) throws OrtException {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            try (OrtSession.Result r = s.run(Map.of(inputName, x))) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return ms;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
