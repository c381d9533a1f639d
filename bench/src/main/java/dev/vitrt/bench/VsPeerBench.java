package dev.vitrt.bench;

import dev.vitrt.benchmark.Machine;
import dev.vitrt.benchmark.SideBySide;
import dev.vitrt.cli.ProgressBar;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
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
 * Latency of our FP32 graph of a zoo model against PyTorch's export of the same timm model ({@code NAME.peer.onnx}
 * in the timm fixtures) on ONNX Runtime CPU: both sessions in one process with the same options (ORT_ENABLE_ALL),
 * timed side by side by {@link SideBySide} (interleaved rounds, order alternating, per-round ratios ours / peer with
 * quartiles and extremes; below 1 is faster). With {@code --threads 1} ORT computes on the calling thread, so the
 * thread-CPU ratio is the figure that does not depend on waiting for a core on a shared machine.
 *
 * <p>Run from the repository root: {@code bench/run VsPeerBench --model nextvit_small --batches 1,8}, or
 * {@code bench/run VsPeerBench --model mobilevitv2_050}; add {@code --threads 1} on a busy machine.
 *
 * <p>Usage: {@code VsPeerBench [--model nextvit_small] [--fixtures DIR] [--batches 1] [--rounds 30] [--iters 5]
 * [--threads 0] [--ours FILE]} ({@code --threads 0}: ONNX Runtime's default)
 */
public final class VsPeerBench {
    private VsPeerBench() {
    }

    public static void main(String[] args) throws Exception {
        String model = "nextvit_small";
        Path fixtures = Path.of(System.getProperty("vitrt.fixtures", "../shared/fixtures/timm"));
        int[] batches = {1};
        int rounds = 30;
        int iters = 5;
        int threads = 0;
        Path ours = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--fixtures" -> fixtures = Path.of(args[++i]);
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--ours" -> ours = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path peer = fixtures.resolve(model + ".peer.onnx");
        if (!Files.isRegularFile(peer)) {
            throw new IllegalArgumentException("peer graph not found: " + peer + " (set -Dvitrt.fixtures or --fixtures)");
        }
        ExportedModel em = Exporter.export(model, ExportOptions.defaults());
        byte[] ourBytes = ours != null ? Files.readAllBytes(ours) : OnnxWriter.toBytes(em.graph());
        int size = em.inputSize();
        OrtEnvironment env = OrtEnvironments.get();
        System.out.printf(Locale.ROOT, "%s %dx%d: ours (%s) vs PyTorch's export (%s), ONNX Runtime %s CPU, ORT_ENABLE_ALL,"
                        + " %s intra-op threads, %d rounds x %d runs, %s%n", model, size, size,
                ours != null ? ours.getFileName() : "exported now", peer.getFileName(), env.getVersion(),
                threads == 0 ? "default" : threads, rounds, iters, Machine.loadLine());
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                opts.setIntraOpNumThreads(threads);
            }
            try (OrtSession a = env.createSession(ourBytes, opts); OrtSession b = env.createSession(peer.toString(), opts)) {
                for (int batch : batches) {
                    float[] data = new float[batch * 3 * size * size];
                    SplittableRandom r = new SplittableRandom(1);
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) r.nextGaussian();
                    }
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data),
                            new long[] {batch, 3, size, size})) {
                        List<SideBySide.Variant> v = new ArrayList<>();
                        v.add(new SideBySide.Variant("peer", () -> run(b, x)));
                        v.add(new SideBySide.Variant("ours", () -> run(a, x)));
                        List<SideBySide.Timings> t;
                        try (ProgressBar bar = new ProgressBar("batch " + batch + ":")) {
                            t = SideBySide.measure(v, new SideBySide.Config(3, rounds, iters), bar);
                        }
                        System.out.printf(Locale.ROOT, "%nbatch %d (%s at the end):%n", batch, Machine.loadLine());
                        System.out.print(SideBySide.report(t));
                    }
                }
            }
        }
    }

    private static void run(OrtSession s, OnnxTensor x) throws Exception {
        try (OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), x))) {
            // outputs discarded: only the time counts
        }
    }
}
