package dev.vitrt.bench.gpu;

import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.BatchRange;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.engine.int8.Int8Calibration;
import dev.vitrt.runtime.BuildListener;
import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.EngineBuilder;
import dev.vitrt.engine.trt.PreparedGraph;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.bench.GpuTiming;
import dev.vitrt.runtime.bench.LatencyBenchmark;
import dev.vitrt.runtime.bench.LatencyStats;
import dev.vitrt.runtime.compare.OutputComparison;
import dev.vitrt.runtime.io.Npy;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.profile.BlockProfile;
import dev.vitrt.runtime.profile.ModelProfiler;
import dev.vitrt.tensorrt.TensorRtBackend;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * One model of the GPU check: our export (timm's fixture weights when the fixtures hold them, else the zoo's seeded
 * weights), its ONNX Runtime FP32 logits on the fixture input as the reference, then per precision an engine built
 * from Java, its accuracy against the reference, its latency and its per-block profile.
 */
final class EngineCheck {
    /** Bounds per precision: max|trt - ort| / max|ort|, and cosine. */
    static final Map<Precision, double[]> BOUNDS = Map.of(
            Precision.FP32, new double[] {1e-3, 0.99999},
            Precision.FP16, new double[] {2e-2, 0.999},
            Precision.INT8, new double[] {0.3, 0.98});

    /**
     * What one precision gave.
     *
     * @param passed whether it was built, ran, and stayed within {@link #BOUNDS}
     * @param line   one summary line
     * @param plan   the plan file, or null when the build failed
     */
    record Outcome(boolean passed, String line, Path plan) {
    }

    private final String model;
    private final GpuCheck.Settings settings;
    private final Path work;
    private final Path onnx;
    private final FloatTensor input;
    private final FloatTensor reference;
    private final ObjectNode referenceJson;
    private final String referenceLine;

    private EngineCheck(String model, GpuCheck.Settings settings, Path work, Path onnx, FloatTensor input,
                        FloatTensor reference, ObjectNode referenceJson, String referenceLine) {
        this.model = model;
        this.settings = settings;
        this.work = work;
        this.onnx = onnx;
        this.input = input;
        this.reference = reference;
        this.referenceJson = referenceJson;
        this.referenceLine = referenceLine;
    }

    /** Exports the model and computes the ONNX Runtime FP32 reference on the fixture input. */
    static EngineCheck prepare(String model, GpuCheck.Settings settings, Path work) throws Exception {
        Path inputFile = find(settings, model + ".input.npy");
        if (inputFile == null) {
            throw new IllegalArgumentException("no " + model + ".input.npy in " + settings.fixtures());
        }
        FloatTensor input = Npy.read(inputFile);
        Path weights = find(settings, model + ".safetensors");
        ExportOptions o = ExportOptions.defaults().withInputSize((int) input.dim(3));
        if (weights != null) {
            o = o.withWeights(weights);
        }
        Path onnx = work.resolve(model + ".onnx");
        try (OutputStream out = Files.newOutputStream(onnx)) {
            OnnxWriter.write(Exporter.export(model, o).graph(), out);
        }
        FloatTensor ref;
        try (OnnxRuntimeBackend ort = OnnxRuntimeBackend.open(onnx, BackendOptions.defaults())) {
            ref = ort.run(input);
        }
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("model", model);
        j.put("weights", weights != null ? "timm fixture " + weights.getFileName() : "zoo seeded (seed 0)");
        j.put("input", FloatTensor.shapeString(input.shape()));
        String line = model + ": reference ONNX Runtime FP32 on " + inputFile.getFileName() + " ("
                + FloatTensor.shapeString(input.shape()) + "), weights " + j.get("weights").asText();
        Path logits = find(settings, model + ".logits.npy");
        if (weights != null && logits != null) {
            OutputComparison timm = OutputComparison.of(Npy.read(logits), ref);
            j.set("ort_vs_timm", comparison(timm));
            line += String.format(Locale.ROOT, "; ONNX Runtime vs timm rel %.1e", timm.relativeError());
        }
        return new EngineCheck(model, settings, work, onnx, input, ref, j, line);
    }

    ObjectNode reference() {
        return referenceJson;
    }

    String referenceLine() {
        return referenceLine;
    }

    /** Builds, compares, times and profiles one precision; every failure is recorded, never thrown. */
    Outcome run(Precision p, ObjectNode j) {
        j.put("model", model);
        j.put("precision", p.label());
        String label = model + " " + p.label();
        Path plan = work.resolve(model + "." + p.label() + ".plan");
        try {
            BuildOptions o = new BuildOptions(p, new BatchRange(1, 1, (int) input.dim(0)), null, 4096,
                    settings.optLevel(), work.resolve("timing.cache"), "none", false);
            long t0 = System.nanoTime();
            PreparedGraph graph = PreparedGraph.prepare(onnx, o, p == Precision.INT8
                    ? new Int8Calibration("synthetic", settings.calibSamples(), 8, CalibrationMethod.MSE, 99.99, 0)
                    : null, Progress.NONE);
            j.put("prepare_s", seconds(t0));
            j.set("notes", JsonNodeFactory.instance.arrayNode().addAll(graph.notes().stream()
                    .map(JsonNodeFactory.instance::textNode).toList()));
            EngineBuilder.Built built = EngineBuilder.build(graph, onnx, o, plan, BuildListener.NONE);
            j.put("build_s", round(built.seconds()));
            j.put("plan_mb", round(Files.size(plan) / 1e6));
        } catch (Exception e) {
            j.put("error", "build: " + GpuCheck.message(e));
            return new Outcome(false, label + ": BUILD FAILED: " + GpuCheck.message(e), null);
        }
        try {
            OutputComparison c;
            String graphLine;
            String profileLine;
            try (TensorRtBackend trt = TensorRtBackend.open(plan, BackendOptions.defaults().withCudaGraph(true))) {
                c = OutputComparison.of(reference, trt.run(input));
                j.set("vs_ort_fp32", comparison(c));
                j.put("engine_layers", trt.engineLayers(false).size());
                FloatTensor one = first(input);
                LatencyBenchmark.Timings graphed = LatencyBenchmark.timed(trt, Map.of(trt.singleInput().name(), one), 1,
                        LatencyBenchmark.Config.iterations(20, 200), Progress.NONE);
                j.set("latency_cuda_graph", timings(graphed));
                graphLine = describe(graphed);
                ModelProfiler.Result r = ModelProfiler.profile(trt, Map.of(trt.singleInput().name(), one), 1,
                        new ModelProfiler.Config(10, 50, true), Progress.NONE);
                profileLine = profile(r, j);
            }
            String plainLine;
            try (TensorRtBackend trt = TensorRtBackend.open(plan, BackendOptions.defaults())) {
                LatencyBenchmark.Timings plain = LatencyBenchmark.timed(trt, Map.of(trt.singleInput().name(),
                        first(input)), 1, LatencyBenchmark.Config.iterations(20, 200), Progress.NONE);
                j.set("latency_enqueue", timings(plain));
                plainLine = describe(plain);
            }
            double[] bound = BOUNDS.get(p);
            boolean ok = c.relativeError() <= bound[0] && c.cosine() >= bound[1];
            j.put("passed", ok);
            return new Outcome(ok, String.format(Locale.ROOT,
                    "%s: %s built in %.1f s; vs ONNX Runtime FP32: rel %.2e (bound %.0e), cosine %.6f, top-1 %.0f%%;"
                            + " batch 1 with CUDA graph %s, without %s; %s",
                    label, ok ? "ok" : "OUT OF BOUNDS", j.path("build_s").asDouble(), c.relativeError(), bound[0],
                    c.cosine(), 100 * c.top1Agreement(), graphLine, plainLine, profileLine), plan);
        } catch (Exception e) {
            j.put("error", "run: " + GpuCheck.message(e));
            return new Outcome(false, label + ": RUN FAILED: " + GpuCheck.message(e), plan);
        }
    }

    /** Per-block profile coverage: the share of layer time that folds into named blocks (not {@code other}). */
    private static String profile(ModelProfiler.Result r, ObjectNode j) {
        ObjectNode p = j.putObject("profile");
        BlockProfile b = r.blocks();
        if (b == null) {
            p.put("available", false);
            return "per-block profile: not available";
        }
        double other = b.blocks().stream().filter(row -> row.type().equals(BlockProfile.OTHER))
                .mapToDouble(BlockProfile.BlockRow::ms).sum();
        double coverage = b.totalMs() > 0 ? 1 - other / b.totalMs() : 0;
        p.put("coverage", round(coverage));
        p.put("block_sum_percent_of_latency", round(r.blockSumPercent()));
        p.put("unmatched_layers", b.unmatchedLayers());
        p.put("cross_block_ms", round(b.crossBlockMs()));
        ObjectNode rows = p.putObject("blocks_ms");
        b.blocks().forEach(row -> rows.put(row.type(), round(row.ms())));
        return String.format(Locale.ROOT, "per-block coverage %.1f%% (%d layers unmatched), blocks sum to %.0f%% of"
                + " latency", 100 * coverage, b.unmatchedLayers(), r.blockSumPercent());
    }

    private static String describe(LatencyBenchmark.Timings t) {
        GpuTiming g = t.gpu();
        return String.format(Locale.ROOT, "host %.3f ms / GPU %.3f ms (p50)%s", t.host().p50(),
                g == null ? Double.NaN : g.compute().p50(),
                g != null && g.note() != null ? " [no CUDA graph: " + g.note() + "]" : "");
    }

    private static ObjectNode timings(LatencyBenchmark.Timings t) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("host_ms", stats(t.host()));
        if (t.gpu() != null) {
            o.set("gpu_compute_ms", stats(t.gpu().compute()));
            o.put("cuda_graph", t.gpu().cudaGraph());
            if (t.gpu().note() != null) {
                o.put("cuda_graph_note", t.gpu().note());
            }
        }
        return o;
    }

    private static ObjectNode stats(LatencyStats s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("runs", s.runs());
        o.put("mean", round(s.mean()));
        o.put("p50", round(s.p50()));
        o.put("p90", round(s.p90()));
        o.put("p99", round(s.p99()));
        o.put("min", round(s.min()));
        return o;
    }

    static ObjectNode comparison(OutputComparison c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("max_abs_diff", c.maxAbsDiff());
        o.put("relative_error", c.relativeError());
        o.put("cosine", c.cosine());
        o.put("top1_agreement", c.top1Agreement());
        return o;
    }

    private static FloatTensor first(FloatTensor batch) {
        long[] shape = batch.shape().clone();
        shape[0] = 1;
        int n = (int) FloatTensor.elementCount(shape);
        return new FloatTensor(shape, Arrays.copyOf(batch.data(), n));
    }

    private static Path find(GpuCheck.Settings s, String name) {
        for (Path d : s.fixtures()) {
            if (Files.isRegularFile(d.resolve(name))) {
                return d.resolve(name);
            }
        }
        return null;
    }

    private static double seconds(long t0) {
        return round((System.nanoTime() - t0) / 1e9);
    }

    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
