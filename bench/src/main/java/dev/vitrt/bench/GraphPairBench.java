package dev.vitrt.bench;

import dev.vitrt.benchmark.Machine;
import dev.vitrt.benchmark.SideBySide;
import dev.vitrt.calibration.data.SyntheticData;
import dev.vitrt.cli.ProgressBar;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Latency of ONNX graphs with the same input against the first, on ONNX Runtime CPU, side by side ({@link SideBySide}:
 * interleaved rounds, order alternating, per-round ratios with their spread): for A/B checks of a graph change, such
 * as a different Q/DQ placement or what {@code calibrate --exclude} keeps in float.
 *
 * <p>Usage: {@code bench/run GraphPairBench BASE.onnx OTHER.onnx... [--batch 1] [--rounds 20] [--iters 10]
 * [--threads 0]}; the input is synthetic, of the first graph's input shape with the batch set.
 */
public final class GraphPairBench {
    private GraphPairBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> graphs = new ArrayList<>();
        int batch = 1;
        int rounds = 20;
        int iters = 10;
        int threads = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> graphs.add(Path.of(args[i]));
            }
        }
        if (graphs.size() < 2) {
            throw new IllegalArgumentException("give a baseline graph and at least one other");
        }
        BackendOptions bo = BackendOptions.defaults().withIntraOpThreads(threads);
        List<Backend> backends = new ArrayList<>();
        List<Backend.PreparedRun> runs = new ArrayList<>();
        try {
            for (Path g : graphs) {
                backends.add(OnnxRuntimeBackend.open(g, bo));
            }
            var input = backends.get(0).singleInput();
            long[] shape = input.shape().clone();
            shape[0] = batch;
            long[] sample = Arrays.copyOfRange(shape, 1, shape.length);
            FloatTensor x = new SyntheticData(7, batch, sample).batch(0, batch);
            List<SideBySide.Variant> variants = new ArrayList<>();
            for (int k = 0; k < backends.size(); k++) {
                Backend.PreparedRun r = backends.get(k).prepare(Map.of(backends.get(k).singleInput().name(), x));
                runs.add(r);
                variants.add(new SideBySide.Variant(k == 0 ? "base" : "graph " + k, r::runDiscardingOutputs));
            }
            System.out.printf(Locale.ROOT, "GraphPairBench: ONNX Runtime CPU, %s intra-op threads, batch %d, %s%n",
                    threads == 0 ? "default" : threads, batch, Machine.loadLine());
            for (int k = 0; k < graphs.size(); k++) {
                System.out.println("  " + (k == 0 ? "base" : "graph " + k) + ": " + graphs.get(k));
            }
            List<SideBySide.Timings> t;
            try (ProgressBar bar = new ProgressBar("graphs:")) {
                t = SideBySide.measure(variants, new SideBySide.Config(5, rounds, iters), bar);
            }
            System.out.printf(Locale.ROOT, "%nlatency, %d rounds x %d runs, %s:%n", rounds, iters, Machine.loadLine());
            System.out.print(SideBySide.report(t));
        } finally {
            for (Backend.PreparedRun r : runs) {
                r.close();
            }
            for (Backend b : backends) {
                b.close();
            }
        }
    }
}
