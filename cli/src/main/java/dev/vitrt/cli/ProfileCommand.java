package dev.vitrt.cli;

import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.models.zoo.ModelSource;

import dev.vitrt.engine.int8.TensorRtQdq;
import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.Precision;
import dev.vitrt.engine.trt.PreparedGraph;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.io.TemporaryFiles;
import dev.vitrt.runtime.profile.LayerProfiling;
import dev.vitrt.runtime.profile.ModelProfiler;
import dev.vitrt.runtime.report.ProfileReport;
import dev.vitrt.runtime.report.ProfileReports;
import dev.vitrt.runtime.tensorrt.PlanManifest.BatchRange;
import dev.vitrt.runtime.tensorrt.TensorRtAvailability;
import dev.vitrt.runtime.tensorrt.TensorRtBackend;
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
                "A .plan file (from `vitrt build-engine`) runs on TensorRT; with --backend tensorrt a zoo model or"
                        + " .onnx file is built into a temporary engine first. TensorRT needs an NVIDIA GPU and the"
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
        // decide the backend (TensorRT's availability first: cheap, and it decides everything after it)
        boolean plan = ModelFiles.isPlan(model);
        if (!plan) {
            ModelSource.check(model);
        }
        Backends.Choice choice;
        if (plan) {
            if (kind == BackendKind.ONNXRUNTIME) {
                throw new IllegalArgumentException(model + " is a TensorRT plan; ONNX Runtime runs .onnx files and zoo"
                        + " models (use --backend tensorrt or auto)");
            }
            if (precision != null) {
                throw new IllegalArgumentException("--precision applies when profile builds an engine; " + model
                        + " is built already");
            }
            if (!Files.isRegularFile(Path.of(model))) {
                throw new IOException("no such plan file: " + model);
            }
            choice = new Backends.Choice(BackendKind.TENSORRT, TensorRtAvailability.require().reason());
        } else if (kind == BackendKind.TENSORRT) {
            choice = new Backends.Choice(BackendKind.TENSORRT, "requested; " + TensorRtAvailability.require().reason());
        } else if (kind == BackendKind.AUTO && TensorRtAvailability.check().available()) {
            choice = new Backends.Choice(BackendKind.TENSORRT, "auto: " + TensorRtAvailability.check().reason());
        } else {
            if (kind == BackendKind.ONNXRUNTIME && precision != null) {
                throw new IllegalArgumentException("--precision applies to engines built for TensorRT; ONNX Runtime"
                        + " runs the graph as it is (make an fp16 or int8 graph first)");
            }
            choice = new Backends.Choice(BackendKind.ONNXRUNTIME, kind == BackendKind.AUTO
                    ? "auto: falling back to ONNX Runtime: " + TensorRtAvailability.check().reason()
                    : "requested");
        }
        if (layers && choice.kind() != BackendKind.TENSORRT) {
            throw new IllegalArgumentException("--layers lists a TensorRT engine's layers (IEngineInspector); ONNX"
                    + " Runtime has no engine: use --backend tensorrt or a .plan file");
        }
        System.err.println("vitrt profile: backend " + choice.kind().id() + " (" + choice.reason() + ")");
        if (choice.kind() == BackendKind.ONNXRUNTIME && precision != null) {
            System.err.println("vitrt profile: --precision ignored: ONNX Runtime runs the graph as it is");
        }
        Path file;
        if (plan) {
            file = Path.of(model);
        } else if (choice.kind() == BackendKind.TENSORRT) {
            file = buildTemporaryEngine();
        } else {
            if (!model.endsWith(".onnx")) {
                System.err.println("vitrt profile: exporting " + model);
            }
            file = ModelFiles.resolve(model, ModelFiles.at(sizeOption.inputSize, batch));
        }
        if (choice.kind() == BackendKind.ONNXRUNTIME) {
            System.err.println("vitrt profile: loading the graph into ONNX Runtime (graph optimizations)");
        }
        try (Backend b = Backends.open(file, choice, runtime.options().withCudaGraph(cudaGraph))) {
            if (layers && b instanceof TensorRtBackend trt) {
                List<String> info = trt.engineLayers(false);
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

    /**
     * Builds MODEL into a plan in a temporary folder (deleted on exit) through the engine builder, for the batch and
     * input size asked for; the caller checked that TensorRT can run.
     */
    private Path buildTemporaryEngine() throws Exception {
        Path onnx = ModelFiles.resolve(model, ModelFiles.at(sizeOption.inputSize, null));
        Precision p = precision != null ? precision
                : TensorRtQdq.hasQdq(OnnxModels.read(onnx)) ? Precision.INT8 : Precision.FP32;
        BuildOptions o = BuildOptions.defaults(p);
        o = new BuildOptions(p, new BatchRange(batch, batch, batch), sizeOption.inputSize, o.workspaceMiB(),
                o.optimizationLevel(), null, o.hardwareCompatibility(), false);
        PreparedGraph graph = PreparedGraph.prepare(onnx, o);
        for (String note : graph.notes()) {
            System.err.println("vitrt profile: " + note);
        }
        Path dir = TemporaryFiles.createDirectory("vitrt-profile-"); // removed when the command ends, or on Ctrl-C
        Path plan = dir.resolve(graph.info().model() + "-" + p.label() + ".plan");
        EngineBuildProgress.build(graph, onnx, o, plan);
        return plan;
    }

    static String modelName(Backend b, String arg) {
        return ModelMetadata.of(b.metadata()).modelName(Path.of(arg).getFileName().toString());
    }
}
