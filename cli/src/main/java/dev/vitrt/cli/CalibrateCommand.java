package dev.vitrt.cli;

import dev.vitrt.calibration.PostTrainingQuantization;
import dev.vitrt.calibration.data.CalibrationSources;
import dev.vitrt.calibration.data.HeldOutData;
import dev.vitrt.calibration.qdq.NodeFilter;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.calibration.qdq.QdqTarget;
import dev.vitrt.models.zoo.ExportOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vitrt calibrate}: INT8 post-training quantization into an explicit Q/DQ ONNX graph. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Quantize a model to INT8: calibrate on sample data, write an explicit Q/DQ ONNX graph.",
                "Symmetric INT8, weights per output channel, activations per tensor, placed where TensorRT and"
                        + " ONNX Runtime fuse them. Then compare FP32 and INT8 on held-out inputs and time both on"
                        + " ONNX Runtime."})
public final class CalibrateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL|FILE.onnx", description = "Zoo model name or FP32 ONNX file.")
    String model;

    @Mixin
    WeightsOptions checkpoint;

    @Option(names = "--data", paramLabel = "DIR|FILE.npy|synthetic", required = true, description = {
            "Calibration data: a folder of JPEG/PNG images (searched recursively), a float32 .npy batch"
                    + " [N,C,H,W] already normalized, or 'synthetic' (seeded standard normal in normalized space)."})
    String data;

    @Mixin
    CalibrationOptions calibration;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8", converter = Bounds.Batch.class,
            description = "Calibration batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--exclude", paramLabel = "PATTERN", description = {
            "Keep matching nodes in float (repeatable). A glob (*, ?) matches a node name, its module path"
                    + " or any prefix of it (e.g. stages.3.* or stages.2.blocks.4); anything else is a regular"
                    + " expression."})
    List<String> exclude = new ArrayList<>();

    @Option(names = "--target", paramLabel = "ort|tensorrt", defaultValue = "ort", description = {
            "Q/DQ layout: ort (int32 biases and Q on Conv outputs so that ONNX Runtime fuses QLinearConv;"
                    + " default) or tensorrt (float biases, int8 activations with zero point 0)."})
    String target;

    @Option(names = "--cache", paramLabel = "FILE", description = {
            "Calibration cache (JSON). Used instead of running the data when it exists (it must come from"
                    + " this model); written after calibrating when it does not."})
    Path cache;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "16", converter = Bounds.Positive.class,
            description = "Held-out samples for the FP32/INT8 comparison (default ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "30", converter = Bounds.NonNegative.class,
            description = "Timed batch-1 runs per graph for the latency report, 0 to skip (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--sensitivity", description = "Also report, per block, the output error when only that block is quantized.")
    boolean sensitivity;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of synthetic data (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.onnx", required = true, description = "Output Q/DQ ONNX file.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        QdqOptions layout = new QdqOptions(QdqTarget.parse(target), new NodeFilter(exclude));
        CalibrationSources.check(data); // before the export
        Path dataFile = data.equals(CalibrationSources.SYNTHETIC) ? null : Path.of(data);
        CommandFiles.create().readsModel("MODEL", model).reads("--weights", checkpoint.weights).reads("--data", dataFile)
                .writes("--output", output).writes("--cache", cache).check();
        Path fp32 = checkpoint.resolve(model, ExportOptions.defaults(), "vitrt calibrate");
        PostTrainingQuantization.Settings settings = PostTrainingQuantization.Settings.defaults()
                .withSamples(calibration.samples, batch).withMethod(calibration.method, calibration.percentile)
                .withLayout(layout).withHeldOut(heldOut, seed).withCache(cache);
        PrintWriter out = spec.commandLine().getOut();
        try (ProgressBar bar = new ProgressBar("vitrt calibrate:")) {
            PostTrainingQuantization.Result q = PostTrainingQuantization.quantize(fp32, data, settings,
                    PostTrainingQuantization.Listener.of(bar, bar::println));
            HeldOutData held = q.heldOut();
            if (held.note() != null) {
                bar.println("note: " + held.note());
            }
            bar.println("vitrt calibrate: comparing FP32 and INT8 on " + held.size() + " held-out inputs");
            try (PostTrainingQuantization.Written w = q.writeChecked(output)) {
                bar.println(w.describe());
                out.print(w.report().describeAccuracy(held.describe()));
                if (runs > 0) {
                    out.print(w.withLatency(runs, bar).describeLatency("ONNX Runtime " + w.fp32().device(), runs));
                }
                if (sensitivity) {
                    out.println("sensitivity (only this block quantized; worst first):");
                    w.sensitivity(bar).forEach(e -> out.println("  " + e.describe()));
                }
            }
        }
        out.flush();
        return 0;
    }
}
