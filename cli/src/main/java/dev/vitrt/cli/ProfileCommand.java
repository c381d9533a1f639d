package dev.vitrt.cli;

import dev.vitrt.models.zoo.ModelSource;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.FloatTensor;
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

    @Mixin
    ProfileOptions run;

    @Mixin
    ReportFiles reports;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page with a bar chart.")
    Path html;

    @Override
    public Integer call() throws Exception {
        BackendKind kind = runtime.kind();
        reports.checkedBy(CommandFiles.create().readsModel("MODEL", model).reads("--input", inputs.input))
                .writes("--html", html).check();
        boolean plan = ModelFiles.isPlan(model);
        if (plan) {
            run.checkPlan(model);
            if (!Files.isRegularFile(Path.of(model))) {
                throw new IOException("no such plan file: " + model);
            }
        } else {
            ModelSource.check(model);
        }
        // decided before any export: TensorRT's availability is cheap and decides everything after it
        Backends.Choice choice = plan || model.endsWith(".onnx") ? Backends.choose(kind, Path.of(model))
                : Backends.choose(kind);
        boolean trt = choice.kind() == BackendKind.TENSORRT;
        run.checkBackend(kind, trt);
        System.err.println("vitrt profile: backend " + choice.kind().id() + " (" + choice.reason() + ")");
        if (!trt && run.precision != null) {
            System.err.println("vitrt profile: --precision ignored: ONNX Runtime runs the graph as it is");
        }
        if (!plan && !model.endsWith(".onnx")) {
            System.err.println("vitrt profile: exporting " + model);
        }
        // TensorRT builds the graph's engine for this batch (once: the engine cache keeps it)
        Path file = plan ? Path.of(model) : ModelFiles.resolve(model, ModelFiles.at(sizeOption.inputSize,
                trt ? null : run.batch));
        if (!trt) {
            System.err.println("vitrt profile: loading the graph into ONNX Runtime (graph optimizations)");
        }
        try (Backend b = BackendChoice.open(file, choice, run.applyTo(runtime.options()), "vitrt profile")) {
            if (run.layers && b instanceof TensorRtBackend engine) {
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
            FloatTensor x = inputs.tensor(spec, run.batch, () -> sizeOption.side(b, spec));
            ProfileReport report;
            try (ProgressBar bar = new ProgressBar("vitrt profile:")) {
                report = ModelProfiler.report(b, spec.name(), x, sizeOption.side(b, spec),
                        Path.of(model).getFileName().toString(), run.config(), bar);
            }
            System.out.print(ProfileReports.console(report));
            reports.write(report, ProfileReports::writeJson, ProfileReports::writeCsv);
            if (html != null) {
                ProfileReports.writeHtml(html, report);
            }
        }
        return 0;
    }
}
