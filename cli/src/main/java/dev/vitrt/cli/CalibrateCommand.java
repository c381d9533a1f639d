package dev.vitrt.cli;

import dev.vitrt.models.onnx.OnnxModels;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.calibration.Calibration;
import dev.vitrt.calibration.QuantizationReport;
import dev.vitrt.calibration.SensitivityAnalysis;
import dev.vitrt.calibration.cache.CalibrationCache;
import dev.vitrt.calibration.cache.ModelFingerprint;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.calibration.calibrators.Calibrator;
import dev.vitrt.calibration.data.CalibrationData;
import dev.vitrt.calibration.data.CalibrationSources;
import dev.vitrt.calibration.data.HeldOutData;
import dev.vitrt.calibration.data.ImageFolderData;
import dev.vitrt.calibration.qdq.NodeFilter;
import dev.vitrt.calibration.qdq.QdqInserter;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.calibration.qdq.QdqPlan;
import dev.vitrt.calibration.qdq.QdqPlanner;
import dev.vitrt.calibration.qdq.QdqTarget;
import dev.vitrt.calibration.stats.AbsHistogram;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.io.AtomicFiles;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    @Option(names = "--samples", paramLabel = "N", defaultValue = "64", converter = Bounds.Positive.class,
            description = "Calibration samples (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8", converter = Bounds.Batch.class,
            description = "Calibration batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "mse", description = {
            "entropy (TensorRT's KL divergence), percentile, max or mse (default ${DEFAULT-VALUE})."})
    String method;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "99.99", converter = Bounds.Percentile.class,
            description = "Percentile of |x| kept by --method percentile (default ${DEFAULT-VALUE}).")
    double percentile;

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
        PrintWriter err = spec.commandLine().getErr();
        CalibrationMethod m = CalibrationMethod.parse(method);
        Calibrator calibrator = m.calibrator(percentile);
        String methodId = Calibration.methodId(m, percentile);
        QdqTarget qdqTarget = QdqTarget.parse(target);
        NodeFilter filter = new NodeFilter(exclude);
        Path dataFile = data.equals("synthetic") ? null : Path.of(data);
        CommandFiles.create().readsModel("MODEL", model).reads("--weights", checkpoint.weights).reads("--data", dataFile)
                .writes("--output", output).writes("--cache", cache).check();
        checkpoint.checkApplies(model);

        if (!model.endsWith(".onnx")) {
            err.println("vitrt calibrate: exporting " + model);
            err.flush();
        }
        Path fp32Path = ModelSource.resolve(model, ModelSource.Options.defaults().with(checkpoint));
        ModelProto fp32 = OnnxModels.read(fp32Path);
        String fingerprint = ModelFingerprint.of(fp32);
        QdqPlan plan = QdqPlanner.plan(fp32, new QdqOptions(qdqTarget, filter));
        BackendOptions backendOptions = BackendOptions.defaults();

        long[] sampleShape;
        try (Backend probe = OnnxRuntimeBackend.open(fp32Path, backendOptions)) {
            sampleShape = sampleShape(probe.singleInput(), fp32);
        }

        // scales: from the cache when it exists, else from the data
        Map<String, Float> scales;
        CalibrationData calib = null;
        if (cache != null && Files.exists(cache)) {
            CalibrationCache c = CalibrationCache.read(cache);
            c.requireModel(fingerprint, cache);
            if (!c.method().equals(methodId)) {
                throw new IllegalArgumentException("calibration cache " + cache + " holds " + c.method()
                        + " scales, not " + methodId + "; pass --method " + c.method().replaceAll("\\(.*", "")
                        + " or another --cache");
            }
            List<String> missing = plan.activationTensors().stream().filter(t -> c.scale(t) == null).toList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("calibration cache " + cache + " lacks scales for " + missing.size()
                        + " tensors (e.g. '" + missing.get(0) + "'): it was made with other --exclude/--target options");
            }
            scales = c.scales();
            calib = openData(sampleShape, samples + heldOut, fp32, err);
            // a few samples' ranges against the cached scales: a corrupt cache fails here, not as a NaN model
            c.checkRanges(Calibration.ranges(fp32, plan.activationTensors(), calib, Math.min(calib.size(), batch),
                    batch, backendOptions), cache);
            err.printf(Locale.ROOT, "using calibration cache %s (%d scales, %s, data %s)%n", cache, scales.size(),
                    c.method(), c.dataFingerprint());
        } else {
            calib = openData(sampleShape, samples + heldOut, fp32, err);
            if (samples > calib.size()) {
                throw new IllegalArgumentException("--samples " + samples + " asks for more samples than --data holds ("
                        + calib.describe() + ")");
            }
            err.printf(Locale.ROOT, "calibrating %s on %d of %s (%s, %d tensors, batch %d)%n", model, samples,
                    calib.describe(), methodId, plan.activationTensors().size(), batch);
            long t0 = System.nanoTime();
            Map<String, AbsHistogram> h;
            try (ProgressBar bar = new ProgressBar("vitrt calibrate:")) {
                h = Calibration.collect(fp32, plan.activationTensors(), calib, samples, batch, backendOptions, bar);
            }
            scales = Calibration.scales(h, calibrator);
            err.printf(Locale.ROOT, "calibrated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            if (cache != null) {
                new CalibrationCache(methodId, fingerprint, calib.fingerprint(), samples, scales).write(cache);
                err.println("wrote calibration cache " + cache);
            }
        }

        ModelProto int8 = QdqInserter.insert(fp32, plan, scales);
        byte[] bytes = OnnxModels.withMetadata(int8, OnnxModels.metadata(int8).withCalibrationMethod(methodId))
                .toByteArray();
        HeldOutData held = HeldOutData.after(calib, samples, heldOut, sampleShape, seed + 1);
        if (held.note() != null) {
            err.println("note: " + held.note());
        }
        PrintWriter out = spec.commandLine().getOut();
        err.printf(Locale.ROOT, "vitrt calibrate: comparing FP32 and INT8 on %d held-out inputs%n", held.size());
        err.flush();
        try (Backend f = OnnxRuntimeBackend.open(fp32Path, backendOptions);
             Checked q = Checked.write(output, bytes, f, held, backendOptions)) {
            QuantizationReport r = q.report();
            err.printf(Locale.ROOT, "wrote %s (%d activation Q/DQ, %d weight DQ, %d int32 biases, %.1f MB)%n", output,
                    plan.activations().size(), plan.weights().size(), plan.biases().size(), bytes.length / 1e6);
            out.printf(Locale.ROOT, "FP32 vs INT8 on %d held-out inputs (%s):%n", held.size(), held.describe());
            out.printf(Locale.ROOT, "  logit cosine  min %.5f  mean %.5f%n", r.minCosine(), r.meanCosine());
            out.printf(Locale.ROOT, "  max abs diff  %.5g%n", r.maxAbsDiff());
            out.printf(Locale.ROOT, "  top-1 agreement %.1f%%%n", 100 * r.top1Agreement());
            if (runs > 0) {
                try (ProgressBar bar = new ProgressBar("vitrt calibrate:")) {
                    r = r.withLatency(f, q.backend(), held.batch(0, 1), Math.max(3, runs / 5), runs, bar);
                }
                out.printf(Locale.ROOT, "ONNX Runtime %s, batch 1, median of %d runs:%n", f.device(), runs);
                out.printf(Locale.ROOT, "  FP32 %.2f ms   INT8 %.2f ms   INT8/FP32 %.2fx%n", r.fp32Millis(),
                        r.int8Millis(), r.latencyRatio());
            }
            if (sensitivity) {
                out.println("sensitivity (only this block quantized; worst first):");
                try (ProgressBar bar = new ProgressBar("vitrt calibrate:")) {
                    List<SensitivityAnalysis.BlockError> rows = SensitivityAnalysis.run(fp32, f, scales,
                            new QdqOptions(qdqTarget, filter), held, Math.min(held.size(), 4), backendOptions, bar);
                    for (SensitivityAnalysis.BlockError e : rows) {
                        out.printf(Locale.ROOT, "  %-40s cosine %.5f  max abs diff %.4g%n", e.block(), e.minCosine(),
                                e.maxAbsDiff());
                    }
                }
            }
        }
        out.flush();
        return 0;
    }

    /** Opens --data for up to {@code want} samples (images through the runtime's preprocessing). */
    private CalibrationData openData(long[] sampleShape, int want, ModelProto fp32, PrintWriter err) throws IOException {
        CalibrationData d = CalibrationSources.open(data, sampleShape, OnnxModels.metadata(fp32).asMap(), want, seed);
        if (d instanceof ImageFolderData images && images.skipped() > 0) {
            err.printf(Locale.ROOT, "skipped %d unreadable image files in %s%n", images.skipped(), data);
        }
        return d;
    }

    /** [C, H, W] of the model's input, by ModelMetadata's input-size rule. */
    private static long[] sampleShape(TensorSpec in, ModelProto m) {
        return CalibrationSources.sampleShape(in.name(), in.shape(), OnnxModels.metadata(m).asMap(), null);
    }

    /**
     * The INT8 graph, written only once its own check passed: it goes to a temporary file beside the output, ONNX
     * Runtime loads it and runs the held-out comparison, and only a graph whose outputs are finite wherever the FP32
     * graph's are is moved into place; otherwise nothing is written. The session stays open for the latency runs.
     */
    private record Checked(Backend backend, QuantizationReport report) implements AutoCloseable {
        static Checked write(Path output, byte[] bytes, Backend fp32, CalibrationData held, BackendOptions options)
                throws IOException {
            Checked[] done = new Checked[1];
            AtomicFiles.writeVia(output, tmp -> {
                Files.write(tmp, bytes);
                Backend q = null;
                try {
                    q = OnnxRuntimeBackend.open(tmp, options);
                    QuantizationReport r = QuantizationReport.compare(fp32, q, held, held.size());
                    r.requireFinite();
                    done[0] = new Checked(q, r);
                } catch (BackendException e) {
                    throw new IOException(e.getMessage(), e);
                } finally {
                    if (done[0] == null && q != null) {
                        q.close();
                    }
                }
            });
            return done[0];
        }

        @Override
        public void close() {
            backend.close();
        }
    }
}
