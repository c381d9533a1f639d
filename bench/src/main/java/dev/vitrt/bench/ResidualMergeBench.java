package dev.vitrt.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vitrt.models.graph.MacCounter;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A zoo model's graph after the deployment passes (the fc2 merges, {@code deploy.ResidualMerge}) against the same
 * network as defined (passes off) and, with {@code --baseline FILE}, against any other export of it (e.g. the graph the
 * block-level merge of an earlier VitRT made: export it from that checkout). ONNX Runtime CPU, the same session options
 * for all, runs interleaved round by round with the order rotated every round, so that machine load hits every graph
 * alike. Prints each graph's nodes, then per batch its mean, median and p10-p90, the ratio of medians to the first
 * graph, and the median of paired ratios (runs neighbouring in time).
 *
 * <p>Run from the repository root: {@code bench/run ResidualMergeBench --baseline old.onnx --batches 1,8}.
 *
 * <p>Usage: {@code ResidualMergeBench [--model NAME] [--baseline FILE] [--batches 1,8] [--rounds N] [--iters N]
 * [--threads N] [--size N]}
 */
public final class ResidualMergeBench {
    private ResidualMergeBench() {
    }

    private record Candidate(String name, byte[] bytes, String about) {
    }

    public static void main(String[] args) throws Exception {
        String model = "nextvit_small";
        Path baseline = null;
        int[] batches = {1, 8};
        int rounds = 20;
        int iters = 3;
        int threads = 0;
        int size = 224;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--baseline" -> baseline = Path.of(args[++i]);
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Candidate> graphs = new ArrayList<>();
        ExportOptions o = ExportOptions.defaults().withInputSize(size);
        ExportedModel merged = Exporter.export(model, o);
        ExportedModel defined = Exporter.export(model, o.withDeploymentPasses(false));
        graphs.add(new Candidate("merged", OnnxWriter.toBytes(merged.graph()), about(merged)));
        graphs.add(new Candidate("as defined", OnnxWriter.toBytes(defined.graph()), about(defined)));
        if (baseline != null) {
            if (!Files.isRegularFile(baseline)) {
                throw new IllegalArgumentException("baseline graph not found: " + baseline);
            }
            var proto = OnnxModels.read(baseline);
            graphs.add(new Candidate("baseline", Files.readAllBytes(baseline), proto.getGraph().getNodeCount()
                    + " nodes, " + baseline.getFileName()));
        }
        merged = null;
        defined = null;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.printf(Locale.ROOT, "%s at %d: ONNX Runtime %s, CPU, ORT_ENABLE_ALL, intra-op threads %s, %d cores"
                + " visible%n", model, size, env.getVersion(), threads == 0 ? "default" : threads,
                Runtime.getRuntime().availableProcessors());
        for (Candidate c : graphs) {
            System.out.printf(Locale.ROOT, "  %-10s %s%n", c.name(), c.about());
        }
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                opts.setIntraOpNumThreads(threads);
            }
            List<OrtSession> sessions = new ArrayList<>();
            try {
                for (Candidate c : graphs) {
                    sessions.add(env.createSession(c.bytes(), opts));
                }
                for (int batch : batches) {
                    compare(env, graphs, sessions, batch, size, rounds, iters);
                }
            } finally {
                for (OrtSession s : sessions) {
                    s.close();
                }
            }
        }
    }

    private static String about(ExportedModel m) {
        return String.format(Locale.ROOT, "%d nodes, %.3f GMACs per image in the graph (the model's: %.3f)",
                m.graph().nodes.size(), MacCounter.macsPerImage(m.graph()) / 1e9, m.gmacs());
    }

    private static void compare(OrtEnvironment env, List<Candidate> graphs, List<OrtSession> sessions, int batch,
                                int size, int rounds, int iters) throws OrtException {
        int n = sessions.size();
        float[] data = new float[batch * 3 * size * size];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {batch, 3, size, size})) {
            for (int w = 0; w < 3; w++) { // first runs allocate arenas and pack weights
                for (OrtSession s : sessions) {
                    time(s, in);
                }
            }
            double[][] t = new double[n][rounds * iters];
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < n; k++) {
                    int g = (k + round) % n; // a different graph goes first each round
                    for (int i = 0; i < iters; i++) {
                        t[g][round * iters + i] = time(sessions.get(g), in);
                    }
                }
                System.err.printf(Locale.ROOT, "\rbatch %d: round %d/%d", batch, round + 1, rounds);
            }
            System.err.println();
            for (int g = 0; g < n; g++) {
                double[] paired = new double[t[g].length];
                for (int i = 0; i < paired.length; i++) {
                    paired[i] = t[g][i] / t[0][i];
                }
                System.out.printf(Locale.ROOT, "batch %d %-10s mean %8.2f ms  median %8.2f ms  p10-p90 %.2f-%.2f ms  "
                        + "median / merged's %.3f  paired ratio %.3f%n", batch, graphs.get(g).name(), mean(t[g]),
                        quantile(t[g], 0.5), quantile(t[g], 0.1), quantile(t[g], 0.9),
                        quantile(t[g], 0.5) / quantile(t[0], 0.5), quantile(paired, 0.5));
            }
        }
    }

    private static double time(OrtSession s, OnnxTensor in) throws OrtException {
        long t0 = System.nanoTime();
        try (OrtSession.Result res = s.run(Map.of(s.getInputNames().iterator().next(), in))) {
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }
}
