package dev.vitrt.cli;

import dev.vitrt.models.zoo.ModelSource;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.profile.LayerProfiling;
import dev.vitrt.runtime.profile.ModelProfiler;
import dev.vitrt.runtime.report.ProfileReport;
import dev.vitrt.runtime.report.ProfileReports;
import dev.vitrt.tensorrt.TensorRtBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vitrt profile}: end-to-end latency and where it goes, block type by block type. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure a model's latency and its share per block type (NCB, NTB, MobileViTv2Block, ...) and"
                + " part (MHCA, E-MHSA, SeparableAttention, ...).",
                "Plain runs give the end-to-end latency; interleaved profiled runs give per-layer times, folded by"
                        + " the graph's vitrt.blocks tags. Time no block claims is shown as 'other'.",
                "A .plan file (from `vitrt build-engine`) runs on TensorRT; on TensorRT a zoo model or .onnx file is"
                        + " built into an engine first, once: the engine cache keeps it (see README). TensorRT needs an NVIDIA GPU and the"
                        + " TensorRT 11 natives (-Ptensorrt build, or a system TensorRT 11.2+); see `vitrt doctor`."})
final class ProfileCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL|FILE.onnx|FILE.plan",
            description = "A zoo model name (exported on the fly), an .onnx file or a TensorRT plan.")
    String model;

    @Mixin
    BackendChoice runtime;

    @Mixin
    InputSizeOption sizeOption;

    @Mixin
    InputOptions inputs;

    @Option(names = "--precision", paramLabel = "fp32|fp16|int8", converter = TensorRtConverters.PrecisionConverter.class,
            description = "Precision of the engine built for TensorRT from a zoo model or .onnx file (default: int8"
                    + " for a Q/DQ graph, else fp32). ONNX Runtime runs the graph as it is.")
    Precision precision;

    @Option(names = "--layers",
            description = "TensorRT: also print the engine's layers as TensorRT's IEngineInspector describes them.")
    boolean layers;

    @Option(names = "--cuda-graph", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "TensorRT: replay the timed runs' enqueue as a CUDA graph, as trtexec does by default"
                    + " (default: on; --no-cuda-graph enqueues each run).")
    boolean cudaGraph;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", converter = Bounds.Batch.class,
            description = "Images per run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10", converter = Bounds.NonNegative.class,
            description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "50", converter = Bounds.Positive.class,
            description = "Timed runs, and as many profiled runs (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the report as CSV.")
    Path csv;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page with a bar chart.")
    Path html;

    @Override
    public Integer call() throws Exception {
        ModelProfiler.Config config = new ModelProfiler.Config(warmup, iterations, true);
        BackendKind kind = runtime.kind();
        CommandFiles.create().readsModel("MODEL", model).reads("--input", inputs.input)
                .writes("--json", json).writes("--csv", csv).writes("--html", html).check();
        boolean plan = ModelFiles.isPlan(model);
        if (plan && precision != null) {
            throw new IllegalArgumentException("--precision applies when profile builds an engine; " + model
                    + " is built already");
        }
        if (plan && !Files.isRegularFile(Path.of(model))) {
            throw new IOException("no such plan file: " + model);
        }
        if (!plan) {
            ModelSource.check(model);
        }
        // decided before any export: TensorRT's availability is cheap and decides everything after it
        Backends.Choice choice = plan || model.endsWith(".onnx") ? Backends.choose(kind, Path.of(model))
                : Backends.choose(kind);
        boolean trt = choice.kind() == BackendKind.TENSORRT;
        if (!trt && precision != null && kind == BackendKind.ONNXRUNTIME) {
            throw new IllegalArgumentException("--precision applies to engines built for TensorRT; ONNX Runtime"
                    + " runs the graph as it is (make an fp16 or int8 graph first)");
        }
        if (layers && !trt) {
            throw new IllegalArgumentException("--layers lists a TensorRT engine's layers (IEngineInspector); ONNX"
                    + " Runtime has no engine: use --backend tensorrt or a .plan file");
        }
        System.err.println("vitrt profile: backend " + choice.kind().id() + " (" + choice.reason() + ")");
        if (!trt && precision != null) {
            System.err.println("vitrt profile: --precision ignored: ONNX Runtime runs the graph as it is");
        }
        if (!plan && !model.endsWith(".onnx")) {
            System.err.println("vitrt profile: exporting " + model);
        }
        // TensorRT builds the graph's engine for this batch (once: the engine cache keeps it)
        Path file = plan ? Path.of(model) : ModelFiles.resolve(model, ModelFiles.at(sizeOption.inputSize,
                trt ? null : batch));
        if (!trt) {
            System.err.println("vitrt profile: loading the graph into ONNX Runtime (graph optimizations)");
        }
        BackendOptions options = runtime.options().withCudaGraph(cudaGraph).withPrecision(precision)
                .withBatch(new BatchRange(batch, batch, batch));
        try (EngineBuildProgress building = EngineBuildProgress.lazy(System.err, "vitrt profile: building the engine");
             Backend b = Backends.open(file, choice, options.withBuildListener(building))) {
            building.close();
            if (layers && b instanceof TensorRtBackend engine) {
                List<String> info = engine.engineLayers(false);
                System.out.printf(Locale.ROOT, "engine layers (TensorRT IEngineInspector, %d):%n", info.size());
                for (String line : info) {
                    System.out.println("  " + line.strip());
                }
                System.out.println();
            }
            if (b instanceof LayerProfiling lp && !lp.profilesLayers()) {
                System.err.println("vitrt profile: latency only; " + lp.layerProfilingUnavailable());
            }
            TensorSpec spec = b.singleInput();
            FloatTensor x = inputs.tensor(spec, batch, () -> sizeOption.side(b, spec));
            int actualBatch = x.rank() > 0 ? (int) x.dim(0) : 1;
            int actualSize = x.rank() == 4 ? (int) x.dim(3) : sizeOption.side(b, spec);
            int actualHeight = x.rank() == 4 ? (int) x.dim(2) : actualSize;
            ModelProfiler.Result r;
            try (ProgressBar bar = new ProgressBar("vitrt profile:")) {
                r = ModelProfiler.profile(b, Map.of(spec.name(), x), actualBatch, config, bar);
            }
            ProfileReport report = new ProfileReport(modelName(b, model), b.name(), b.device(),
                    ProfileReport.precisionOf(b.metadata(), r.layers()), actualBatch, actualSize, r.latency(),
                    r.blocks(), r.layerScale(), r.layers() == null ? Double.NaN : r.layers().profilerCostMs(),
                    actualHeight, r.gpu());
            System.out.print(ProfileReports.console(report));
            if (json != null) {
                ProfileReports.writeJson(json, report);
            }
            if (csv != null) {
                ProfileReports.writeCsv(csv, report);
            }
            if (html != null) {
                ProfileReports.writeHtml(html, report);
            }
        }
        return 0;
    }

    static String modelName(Backend b, String arg) {
        return ModelMetadata.of(b.metadata()).modelName(Path.of(arg).getFileName().toString());
    }
}
