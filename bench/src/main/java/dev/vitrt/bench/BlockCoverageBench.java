package dev.vitrt.bench;

import dev.vitrt.benchmark.Machine;
import dev.vitrt.benchmark.SideBySide;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vitrt.calibration.stats.ActivationStatistics;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.bench.Inputs;
import dev.vitrt.runtime.bench.LatencyStats;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.profile.BlockProfile;
import dev.vitrt.runtime.profile.BlockTags;
import dev.vitrt.runtime.profile.LayerProfiling;
import dev.vitrt.runtime.profile.ModelProfiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Do {@code vitrt profile}'s block times add up to the end-to-end latency? For each model and thread count it runs the
 * profiler several times (each run interleaves plain and profiled runs) and prints the blocks' sum as a share of the
 * end-to-end mean, the runtime's own time outside layers, and the profiler cost per layer that was taken out of the
 * layer times. Then, once, it cross-checks the block times by timing every block as its own subgraph (the block's
 * nodes cut out of the graph, fed the values the full model computes at the cut) and comparing the sums per block
 * type with the profiler's; each subgraph run adds one session run's fixed cost (binding inputs, copying outputs).
 *
 * <p>Run from the repository root: {@code bench/run BlockCoverageBench --models mobilevitv2_050,nextvit_small
 * --threads 0,1}.
 *
 * <p>Each repeat is one {@code profile} (its own warm-up, then plain and profiled runs interleaved); on a shared machine
 * read the median over repeats with its quartiles, and each repeat's profiled run time beside its plain mean (what
 * the profiler costs a run in all: its per-layer cost, which is taken out, and its cost between layers, which is not
 * in any layer).
 *
 * <p>Then, per thread count, how much a plain run slows down right after a profiled run (another session, whose
 * intra-op workers may still be spinning) and a profiled run right after a plain one, against a run right after one
 * of its own session.
 *
 * <p>Usage: {@code BlockCoverageBench [--models a,b] [--threads 0,1] [--repeats 7] [--warmup 10] [--iterations 50]
 * [--no-subgraphs]}
 */
public final class BlockCoverageBench {
    private BlockCoverageBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> models = List.of("mobilevitv2_050", "nextvit_small");
        int[] threads = {0, 1};
        int repeats = 7;
        int warmup = 10;
        int iterations = 50;
        boolean subgraphs = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--models" -> models = List.of(args[++i].split(","));
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--no-subgraphs" -> subgraphs = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("vitrt-coverage");
        try {
            for (String name : models) {
                ModelProto m = ModelProto.parseFrom(OnnxWriter.toBytes(
                        Exporter.export(name, ExportOptions.defaults()).graph()));
                Path file = dir.resolve(name + ".onnx");
                Files.write(file, m.toByteArray());
                for (int t : threads) {
                    coverage(name, file, t, repeats, new ModelProfiler.Config(warmup, iterations, true));
                }
                if (subgraphs) {
                    crossCheck(name, m, file, threads[0], dir);
                }
            }
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void coverage(String name, Path file, int threads, int repeats, ModelProfiler.Config config)
            throws Exception {
        System.out.printf(Locale.ROOT, "%n%s, %s intra-op threads, %s%n", name, threads == 0 ? "default" : threads,
                Machine.loadLine());
        System.out.printf(Locale.ROOT, "  %-6s %10s %10s %10s %12s %14s %8s %14s%n", "repeat", "mean ms", "blocks ms",
                "blocks %", "outside ms", "profiler us/layer", "layers", "profiled run ms");
        double[] pct = new double[repeats];
        try (Backend b = OnnxRuntimeBackend.open(file, BackendOptions.defaults().withIntraOpThreads(threads))) {
            FloatTensor x = Inputs.random(b.singleInput(), 1, inputSize(b), 1);
            for (int r = 0; r < repeats; r++) {
                ModelProfiler.Result res = ModelProfiler.profile(b, Map.of(b.singleInput().name(), x), 1, config,
                        Progress.NONE);
                pct[r] = res.blockSumPercent();
                System.out.printf(Locale.ROOT, "  %-6d %10.3f %10.3f %9.1f%% %12.3f %17.2f %8d %14.3f%n", r + 1,
                        res.latency().mean(), res.blocks().totalMs(), pct[r], res.outsideLayersMs(),
                        1000 * res.layers().profilerCostMs(), res.layers().layers().size(),
                        res.layers().profiledRunMs());
            }
            interference(b, Map.of(b.singleInput().name(), x), config.iterations());
        }
        double[] s = pct.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "  blocks' sum: median %.1f%% [%.1f..%.1f] (%.1f..%.1f) of the end-to-end mean over"
                + " %d repeats, %s%n", SideBySide.median(pct), LatencyStats.percentile(s, 25),
                LatencyStats.percentile(s, 75), s[0], s[s.length - 1], repeats, Machine.loadLine());
    }

    /**
     * How much a run slows down when it follows a run of the other session (profile alternates the two): each
     * session has its own intra-op workers, which keep spinning for a while after their run. Paired per iteration:
     * a run right after the other session's run, against a run right after one of its own session.
     */
    private static void interference(Backend b, Map<String, FloatTensor> in, int pairs) throws Exception {
        double[] plain = new double[pairs];
        double[] profiled = new double[pairs];
        try (Backend.PreparedRun p = b.prepare(in);
             LayerProfiling.ProfiledRuns q = ((LayerProfiling) b).startProfiling(in)) {
            for (int i = 0; i < 5; i++) {
                p.runDiscardingOutputs();
                q.run();
            }
            for (int i = 0; i < pairs; i++) {
                q.run();
                double afterOther = timed(p::runDiscardingOutputs);
                plain[i] = afterOther / timed(p::runDiscardingOutputs);
                afterOther = timed(q::run);
                profiled[i] = afterOther / timed(q::run);
            }
        }
        Arrays.sort(plain);
        Arrays.sort(profiled);
        System.out.printf(Locale.ROOT, "  a run right after the other session's, over one right after its own (median"
                + " [quartiles] of %d pairs): plain %.3f [%.3f..%.3f], profiled %.3f [%.3f..%.3f]%n", pairs,
                LatencyStats.percentile(plain, 50), LatencyStats.percentile(plain, 25),
                LatencyStats.percentile(plain, 75), LatencyStats.percentile(profiled, 50),
                LatencyStats.percentile(profiled, 25), LatencyStats.percentile(profiled, 75));
    }

    private interface Run {
        void run() throws Exception;
    }

    private static double timed(Run r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static int inputSize(Backend b) {
        return ModelMetadata.of(b.metadata()).inputSize(b.singleInput().shape(), null).height();
    }

    /** Times every block as its own subgraph and compares per block type with the profiler's block times. */
    private static void crossCheck(String name, ModelProto m, Path file, int threads, Path dir) throws Exception {
        BackendOptions bo = BackendOptions.defaults().withIntraOpThreads(threads);
        BlockTags tags = OnnxModels.metadata(m).blockTags();
        GraphProto g = m.getGraph();
        Map<String, List<NodeProto>> byBlock = new LinkedHashMap<>();
        Map<String, String> producedIn = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            BlockTags.Match match = tags.match(n.getName());
            String block = match == null ? null : match.blockPath();
            if (block != null) {
                byBlock.computeIfAbsent(block, k -> new ArrayList<>()).add(n);
            }
            for (String o : n.getOutputList()) {
                producedIn.put(o, block);
            }
        }
        Map<String, TensorProto> inits = new HashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Set<String> graphOutputs = new HashSet<>();
        g.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
        Map<String, List<String>> inputsOf = new LinkedHashMap<>();
        Map<String, List<String>> outputsOf = new LinkedHashMap<>();
        Set<String> boundary = new LinkedHashSet<>();
        for (var e : byBlock.entrySet()) {
            Set<String> in = new LinkedHashSet<>();
            Set<String> out = new LinkedHashSet<>();
            for (NodeProto n : e.getValue()) {
                for (String t : n.getInputList()) {
                    if (!t.isEmpty() && !inits.containsKey(t) && !e.getKey().equals(producedIn.get(t))) {
                        in.add(t);
                    }
                }
            }
            for (NodeProto n : g.getNodeList()) {
                if (byBlock.get(e.getKey()).contains(n)) {
                    continue;
                }
                for (String t : n.getInputList()) {
                    if (e.getKey().equals(producedIn.get(t))) {
                        out.add(t);
                    }
                }
            }
            for (NodeProto n : e.getValue()) {
                n.getOutputList().stream().filter(graphOutputs::contains).forEach(out::add);
            }
            inputsOf.put(e.getKey(), List.copyOf(in));
            outputsOf.put(e.getKey(), List.copyOf(out));
            boundary.addAll(in);
        }
        // the values at every cut, from one run of the full model
        Path exposed = dir.resolve(name + ".exposed.onnx");
        Files.write(exposed, ActivationStatistics.withOutputs(m, boundary).toByteArray());
        Map<String, FloatTensor> values;
        try (Backend full = OnnxRuntimeBackend.open(exposed, bo)) {
            FloatTensor x = Inputs.random(full.singleInput(), 1, inputSize(full), 1);
            values = new HashMap<>(full.run(Map.of(full.singleInput().name(), x)));
            values.put(full.singleInput().name(), x);
        }
        Map<String, Double> subgraphMs = new LinkedHashMap<>();
        for (var e : byBlock.entrySet()) {
            Path sub = dir.resolve("block.onnx");
            Files.write(sub, subgraph(m, e.getValue(), inputsOf.get(e.getKey()), outputsOf.get(e.getKey()), values,
                    inits).toByteArray());
            Map<String, FloatTensor> feed = new LinkedHashMap<>();
            inputsOf.get(e.getKey()).forEach(t -> feed.put(t, values.get(t)));
            try (Backend b = OnnxRuntimeBackend.open(sub, bo); Backend.PreparedRun run = b.prepare(feed)) {
                for (int i = 0; i < 10; i++) {
                    run.runDiscardingOutputs();
                }
                double[] ms = new double[40];
                for (int i = 0; i < ms.length; i++) {
                    long t0 = System.nanoTime();
                    run.runDiscardingOutputs();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                subgraphMs.merge(tags.blocks().get(e.getKey()), SideBySide.median(ms), Double::sum);
            }
        }
        ModelProfiler.Result r;
        try (Backend b = OnnxRuntimeBackend.open(file, bo)) {
            FloatTensor x = Inputs.random(b.singleInput(), 1, inputSize(b), 1);
            r = ModelProfiler.profile(b, Map.of(b.singleInput().name(), x), 1, new ModelProfiler.Config(10, 50, true),
                    Progress.NONE);
        }
        System.out.printf(Locale.ROOT, "%n%s, %s intra-op threads: block times, profiler vs each block timed as its own"
                + " subgraph (median of 40 runs), %s%n", name, threads == 0 ? "default" : threads, Machine.loadLine());
        System.out.printf(Locale.ROOT, "  %-22s %12s %12s %8s%n", "block type", "profiler ms", "subgraph ms", "ratio");
        double sum = 0;
        for (var e : subgraphMs.entrySet()) {
            BlockProfile.BlockRow row = r.blocks().row(e.getKey());
            double p = row == null ? 0 : row.ms();
            sum += e.getValue();
            System.out.printf(Locale.ROOT, "  %-22s %12.3f %12.3f %8.3f%n", e.getKey(), p, e.getValue(),
                    p / e.getValue());
        }
        System.out.printf(Locale.ROOT, "  %-22s %12.3f %12.3f   (end-to-end mean %.3f ms; %d subgraph runs add their"
                + " own fixed cost)%n", "sum", r.blocks().totalMs(), sum, r.latency().mean(), byBlock.size());
    }

    /** The model cut down to one block's nodes, with its cut inputs as graph inputs. */
    private static ModelProto subgraph(ModelProto m, List<NodeProto> nodes, List<String> inputs, List<String> outputs,
            Map<String, FloatTensor> values, Map<String, TensorProto> inits) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("block").addAllNode(nodes);
        Set<String> used = new HashSet<>();
        nodes.forEach(n -> used.addAll(n.getInputList()));
        inits.forEach((k, v) -> {
            if (used.contains(k)) {
                g.addInitializer(v);
            }
        });
        for (String t : inputs) {
            g.addInput(floatValue(t, values.get(t).shape()));
        }
        for (String t : outputs) {
            g.addOutput(ValueInfoProto.newBuilder().setName(t).setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        }
        return m.toBuilder().clearMetadataProps().setGraph(g).build();
    }

    /** A float32 graph input or output of this static shape. */
    static ValueInfoProto floatValue(String name, long[] shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }
}
