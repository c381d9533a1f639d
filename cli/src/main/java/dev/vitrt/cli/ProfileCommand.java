package dev.vitrt.cli;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.bench.Inputs;
import dev.vitrt.runtime.profile.ModelProfiler;
import dev.vitrt.runtime.report.ProfileReport;
import dev.vitrt.runtime.report.ProfileReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vitrt profile}: end-to-end latency and where it goes, block type by block type. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure a model's latency and its share per block type (NCB, NTB, MobileViTv2Block, ...) and"
                + " part (MHCA, E-MHSA, SeparableAttention, ...).",
                "Plain runs give the end-to-end latency; interleaved profiled runs give per-layer times, folded by"
                        + " the graph's vitrt.blocks tags. Time no block claims is shown as 'other'."})
final class ProfileCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL|FILE.onnx",
            description = "A zoo model name (exported on the fly) or an .onnx file.")
    String model;

    @Option(names = "--backend", paramLabel = "auto|onnxruntime|tensorrt", defaultValue = "auto",
            description = "Backend; auto picks TensorRT where it can run, else ONNX Runtime (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Images per run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--input-size", paramLabel = "N",
            description = "Image side in pixels (default: the model's, from its metadata or input shape).")
    Integer inputSize;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "50",
            description = "Timed runs, and as many profiled runs (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "ONNX Runtime intra-op threads; 0 = one per physical core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--input", paramLabel = "X.npy", description = "Run on this float32 input instead of seeded random data.")
    Path input;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the random input (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the report as CSV.")
    Path csv;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page with a bar chart.")
    Path html;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (inputSize != null && inputSize < 1) {
            throw new IllegalArgumentException("--input-size must be >= 1, got " + inputSize);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
        }
        ModelProfiler.Config config = new ModelProfiler.Config(warmup, iterations, true);
        BackendKind kind = BackendKind.parse(backend);
        for (Path out : new Path[] {json, csv, html}) {
            CliFiles.checkOutput(out);
        }
        Path file = ModelSource.resolve(model, new ModelSource.Options(inputSize, batch, null, null));
        Backends.Choice choice = Backends.choose(kind, file);
        System.err.println("vitrt profile: backend " + choice.kind().id() + " (" + choice.reason() + ")");
        try (Backend b = Backends.open(file, choice, BackendOptions.defaults().withIntraOpThreads(threads))) {
            TensorSpec spec = b.singleInput();
            FloatTensor x;
            if (input != null) {
                x = Inputs.fromNpy(input, spec);
            } else {
                x = Inputs.random(spec, batch, size(b, spec), seed);
            }
            int actualBatch = x.rank() > 0 ? (int) x.dim(0) : 1;
            int actualSize = x.rank() == 4 ? (int) x.dim(3) : size(b, spec);
            ModelProfiler.Result r;
            try (ProgressBar bar = new ProgressBar("vitrt profile:")) {
                r = ModelProfiler.profile(b, Map.of(spec.name(), x), actualBatch, config, bar);
            }
            ProfileReport report = new ProfileReport(modelName(b, model), b.name(), b.device(),
                    ProfileReport.precisionOf(b.metadata(), r.layers()), actualBatch, actualSize, r.latency(),
                    r.blocks(), r.layerScale());
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

    /** The image side: --input-size, else the model's fixed side, else metadata vitrt.input_size, else 224. */
    private int size(Backend b, TensorSpec spec) {
        if (inputSize != null) {
            return inputSize;
        }
        long[] s = spec.shape();
        if (s.length == 4 && s[3] > 0) {
            return (int) s[3];
        }
        String meta = b.metadata().get("vitrt.input_size");
        if (meta != null) {
            try {
                return Integer.parseInt(meta.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("metadata vitrt.input_size is not a number: '" + meta + "'");
            }
        }
        return 224;
    }

    static String modelName(Backend b, String arg) {
        String m = b.metadata().get("vitrt.model");
        if (m != null && !m.isBlank()) {
            return m;
        }
        String f = Path.of(arg).getFileName().toString();
        return f.endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
    }
}
