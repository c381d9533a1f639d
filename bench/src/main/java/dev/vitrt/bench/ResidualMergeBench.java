package dev.vitrt.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.vitrt.benchmark.Machine;
import dev.vitrt.benchmark.SideBySide;
import dev.vitrt.cli.ProgressBar;
import dev.vitrt.models.graph.MacCounter;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.ort.OrtEnvironments;
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
 * A zoo model's graph after the deployment passes (the fc2 merges, {@code deploy.ResidualMerge}) against a baseline
 * export of it ({@code --baseline FILE}, e.g. the graph the block-level merge of an earlier VitRT made: export it
 * from that checkout) and against the same network as defined (passes off). ONNX Runtime CPU, the same session options
 * for all, timed side by side by {@link SideBySide} (interleaved rounds, rotating order, per-round ratios to the first
 * variant with quartiles and extremes). Prints each graph's nodes and MACs first.
 *
 * <p>Run from the repository root: {@code bench/run ResidualMergeBench --baseline old.onnx --batches 1,8}; add
 * {@code --threads 1} on a busy machine (the thread-CPU ratio then ignores waits for a core).
 *
 * <p>Usage: {@code ResidualMergeBench [--model nextvit_small] [--baseline FILE] [--batches 1] [--rounds 30]
 * [--iters 3] [--threads 0] [--size 224]}
 */
public final class ResidualMergeBench {
    private ResidualMergeBench() {
    }

    private record Graph(String name, byte[] bytes, String about) {
    }

    public static void main(String[] args) throws Exception {
        String model = "nextvit_small";
        Path baseline = null;
        int[] batches = {1};
        int rounds = 30;
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
        List<Graph> graphs = new ArrayList<>();
        if (baseline != null) {
            if (!Files.isRegularFile(baseline)) {
                throw new IllegalArgumentException("baseline graph not found: " + baseline);
            }
            graphs.add(new Graph("baseline", Files.readAllBytes(baseline),
                    OnnxModels.read(baseline).getGraph().getNodeCount() + " nodes, " + baseline.getFileName()));
        }
        ExportOptions o = ExportOptions.defaults().withInputSize(size);
        graphs.add(graph("merged", Exporter.export(model, o)));
        graphs.add(graph("as defined", Exporter.export(model, o.withDeploymentPasses(false))));
        OrtEnvironment env = OrtEnvironments.get();
        System.out.printf(Locale.ROOT, "%s %dx%d, ONNX Runtime %s CPU, ORT_ENABLE_ALL, %s intra-op threads, %d rounds x %d"
                + " runs, %s%n", model, size, size, env.getVersion(), threads == 0 ? "default" : threads, rounds, iters,
                Machine.loadLine());
        for (Graph g : graphs) {
            System.out.printf(Locale.ROOT, "  %-10s %s%n", g.name(), g.about());
        }
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                opts.setIntraOpNumThreads(threads);
            }
            List<OrtSession> sessions = new ArrayList<>();
            try {
                for (Graph g : graphs) {
                    sessions.add(env.createSession(g.bytes(), opts));
                }
                for (int batch : batches) {
                    float[] data = new float[batch * 3 * size * size];
                    SplittableRandom r = new SplittableRandom(1);
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) r.nextGaussian();
                    }
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data),
                            new long[] {batch, 3, size, size})) {
                        List<SideBySide.Variant> v = new ArrayList<>();
                        for (int i = 0; i < graphs.size(); i++) {
                            OrtSession s = sessions.get(i);
                            v.add(new SideBySide.Variant(graphs.get(i).name(), () -> run(s, x)));
                        }
                        List<SideBySide.Timings> t;
                        try (ProgressBar bar = new ProgressBar("batch " + batch + ":")) {
                            t = SideBySide.measure(v, new SideBySide.Config(3, rounds, iters), bar);
                        }
                        System.out.printf(Locale.ROOT, "%nbatch %d (%s at the end):%n", batch, Machine.loadLine());
                        System.out.print(SideBySide.report(t));
                    }
                }
            } finally {
                for (OrtSession s : sessions) {
                    s.close();
                }
            }
        }
    }

    private static Graph graph(String name, ExportedModel m) {
        return new Graph(name, OnnxWriter.toBytes(m.graph()), String.format(Locale.ROOT, "%d nodes, %.3f GMACs per image"
                + " in the graph (the model's: %.3f)", m.graph().nodes.size(), MacCounter.macsPerImage(m.graph()) / 1e9,
                m.gmacs()));
    }

    private static void run(OrtSession s, OnnxTensor x) throws Exception {
        try (OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), x))) {
            // outputs discarded: only the time counts
        }
    }
}
