package dev.vitrt.calibration;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.calibration.cache.CalibrationCache;
import dev.vitrt.calibration.cache.ModelFingerprint;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.calibration.data.CalibrationData;
import dev.vitrt.calibration.data.CalibrationSources;
import dev.vitrt.calibration.data.HeldOutData;
import dev.vitrt.calibration.data.ImageFolderData;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.calibration.qdq.QdqPlan;
import dev.vitrt.calibration.qdq.QdqPlanner;
import dev.vitrt.calibration.stats.AbsHistogram;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.io.AtomicFiles;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Post-training INT8 quantization of an FP32 ONNX file, the whole way {@code vitrt calibrate} runs it: scales from a
 * calibration cache when one is given and exists (checked against the model, the method, the Q/DQ plan and a few
 * samples' activation ranges), else calibrated on the data and written to the cache; Q/DQ pairs inserted; then the
 * INT8 graph compared with the FP32 one on held-out samples (the data's samples after the calibration ones) and only
 * a graph whose outputs are finite wherever FP32's are is written.
 *
 * <pre>{@code
 * var ptq = PostTrainingQuantization.quantize(Path.of("model.onnx"), "images/",
 *         PostTrainingQuantization.Settings.defaults().withCache(Path.of("model.calib.json")), Listener.NONE);
 * try (var written = ptq.writeChecked(Path.of("model-int8.onnx"))) {
 *     System.out.println(written.report().top1Agreement());
 * }
 * }</pre>
 */
public final class PostTrainingQuantization {
    /**
     * How to quantize.
     *
     * @param samples        calibration samples, the data's first ones
     * @param batch          calibration batch size
     * @param method         the calibrator
     * @param percentile     the percentile of |x| kept by {@link CalibrationMethod#PERCENTILE}
     * @param layout         Q/DQ placement (target runtime, nodes kept in float)
     * @param heldOut        samples after the calibration ones on which FP32 and INT8 are compared
     * @param seed           seed of synthetic data
     * @param cache          calibration cache file: read when it exists, written after calibrating when not; null: none
     * @param backendOptions ONNX Runtime options of every session opened
     */
    public record Settings(int samples, int batch, CalibrationMethod method, double percentile, QdqOptions layout,
                           int heldOut, long seed, Path cache, BackendOptions backendOptions) {
        public Settings {
            if (samples < 1 || batch < 1 || heldOut < 1) {
                throw new IllegalArgumentException("samples, batch and heldOut must be at least 1, got " + samples
                        + ", " + batch + " and " + heldOut);
            }
        }

        /** 64 samples in batches of 8, MSE, ONNX Runtime's layout, 16 held out, seed 0, no cache. */
        public static Settings defaults() {
            return new Settings(64, 8, CalibrationMethod.MSE, 99.99, QdqOptions.defaults(), 16, 0, null,
                    BackendOptions.defaults());
        }

        public Settings withSamples(int n, int batchSize) {
            return new Settings(n, batchSize, method, percentile, layout, heldOut, seed, cache, backendOptions);
        }

        public Settings withMethod(CalibrationMethod m, double p) {
            return new Settings(samples, batch, m, p, layout, heldOut, seed, cache, backendOptions);
        }

        public Settings withLayout(QdqOptions l) {
            return new Settings(samples, batch, method, percentile, l, heldOut, seed, cache, backendOptions);
        }

        public Settings withHeldOut(int n, long dataSeed) {
            return new Settings(samples, batch, method, percentile, layout, n, dataSeed, cache, backendOptions);
        }

        public Settings withCache(Path file) {
            return new Settings(samples, batch, method, percentile, layout, heldOut, seed, file, backendOptions);
        }

        public Settings withBackendOptions(BackendOptions o) {
            return new Settings(samples, batch, method, percentile, layout, heldOut, seed, cache, o);
        }

        /** The method's id as caches and metadata record it. */
        public String methodId() {
            return Calibration.methodId(method, percentile);
        }
    }

    /** Receives progress (calibration batches, timing runs) and the steps worth a line in a log. */
    @FunctionalInterface
    public interface Listener extends Progress {
        /** A finished step, in words: the cache used or written, the calibration started and done, a data note. */
        default void step(String message) {
        }

        /** Ignores everything. */
        Listener NONE = (label, done, total) -> {
        };

        /** Progress to {@code progress}, steps to {@code steps}. */
        static Listener of(Progress progress, java.util.function.Consumer<String> steps) {
            return new Listener() {
                @Override
                public void update(String label, long done, long total) {
                    progress.update(label, done, total);
                }

                @Override
                public void step(String message) {
                    steps.accept(message);
                }
            };
        }
    }

    private PostTrainingQuantization() {
    }

    /**
     * A quantized graph, not yet written.
     *
     * @param source    the FP32 file
     * @param fp32      its graph
     * @param quantized the Q/DQ graph with its plan, scales and method
     * @param heldOut   the samples the FP32/INT8 comparison runs on ({@link HeldOutData#note()} says when fewer or
     *                  synthetic ones stand in)
     * @param fromCache whether the scales came from the settings' cache
     * @param settings  how it was made
     */
    public record Result(Path source, ModelProto fp32, Calibration.Quantized quantized, HeldOutData heldOut,
                         boolean fromCache, Settings settings) {
        /**
         * Writes the INT8 graph to {@code output}, but only once its own check passed: it goes to a temporary file
         * beside the output, ONNX Runtime loads it and compares it with the FP32 graph on the held-out samples, and
         * only a graph whose outputs are finite wherever the FP32 graph's are is moved into place; otherwise nothing
         * is written and an {@link IllegalStateException} says why. Both sessions stay open for latency and
         * sensitivity runs until the result is closed.
         */
        public Written writeChecked(Path output) throws IOException, BackendException {
            byte[] bytes = quantized.model().toByteArray();
            BackendOptions options = settings.backendOptions();
            Backend f = OnnxRuntimeBackend.open(source, options);
            Written[] done = new Written[1];
            try {
                AtomicFiles.writeVia(output, tmp -> {
                    Files.write(tmp, bytes);
                    Backend q = null;
                    try {
                        q = OnnxRuntimeBackend.open(tmp, options);
                        QuantizationReport r = QuantizationReport.compare(f, q, heldOut, heldOut.size());
                        r.requireFinite();
                        done[0] = new Written(this, output, bytes.length, f, q, r);
                    } catch (BackendException e) {
                        throw new IOException(e.getMessage(), e);
                    } finally {
                        if (done[0] == null && q != null) {
                            q.close();
                        }
                    }
                });
            } finally {
                if (done[0] == null) {
                    f.close();
                }
            }
            return done[0];
        }
    }

    /**
     * A written INT8 graph, with the FP32 and INT8 sessions still open.
     *
     * @param bytes  size of the written file
     * @param report FP32 against INT8 on the held-out samples
     */
    public record Written(Result result, Path output, long bytes, Backend fp32, Backend int8, QuantizationReport report)
            implements AutoCloseable {
        /** {@code wrote FILE (N activation Q/DQ, N weight DQ, N int32 biases, 12.3 MB)}. */
        public String describe() {
            QdqPlan plan = result.quantized().plan();
            return String.format(Locale.ROOT, "wrote %s (%d activation Q/DQ, %d weight DQ, %d int32 biases, %.1f MB)",
                    output, plan.activations().size(), plan.weights().size(), plan.biases().size(), bytes / 1e6);
        }

        /** The report with batch-1 latencies: the median of {@code runs} interleaved runs after a warm-up. */
        public QuantizationReport withLatency(int runs, Progress progress) throws IOException, BackendException {
            return report.withLatency(fp32, int8, result.heldOut().batch(0, 1), Math.max(3, runs / 5), runs, progress);
        }

        /** Per-block sensitivity on up to four held-out samples, worst block first. */
        public List<SensitivityAnalysis.BlockError> sensitivity(Progress progress)
                throws IOException, BackendException {
            HeldOutData held = result.heldOut();
            return SensitivityAnalysis.run(result.fp32(), fp32, result.quantized().scales(),
                    result.settings().layout(), held, Math.min(held.size(), 4), result.settings().backendOptions(),
                    progress);
        }

        @Override
        public void close() {
            try {
                int8.close();
            } finally {
                fp32.close();
            }
        }
    }

    /**
     * Quantizes the FP32 graph in {@code fp32File} on calibration data {@code data} (a folder of images, an .npy
     * batch or {@code synthetic}: {@link CalibrationSources#open}).
     *
     * @throws IllegalArgumentException when the model is quantized already, the data does not fit it, or the cache
     *                                  belongs to another model, method or layout or holds scales that do not fit
     */
    public static Result quantize(Path fp32File, String data, Settings s, Listener listener)
            throws IOException, BackendException {
        ModelProto fp32 = OnnxModels.read(fp32File);
        QdqPlan plan = QdqPlanner.plan(fp32, s.layout()); // a quantized graph is refused here, before any data
        Map<String, String> meta = OnnxModels.metadata(fp32).asMap();
        long[] sampleShape;
        try (Backend probe = OnnxRuntimeBackend.open(fp32File, s.backendOptions())) {
            TensorSpec in = probe.singleInput();
            sampleShape = CalibrationSources.sampleShape(in.name(), in.shape(), meta, null);
        }
        CalibrationData calib = CalibrationSources.open(data, sampleShape, meta, s.samples() + s.heldOut(), s.seed());
        if (calib instanceof ImageFolderData images && images.skipped() > 0) {
            listener.step(String.format(Locale.ROOT, "skipped %d unreadable image files in %s", images.skipped(),
                    data));
        }
        boolean cached = s.cache() != null && Files.exists(s.cache());
        Map<String, Float> scales = cached ? cachedScales(fp32, plan, calib, s, listener)
                : calibrate(fp32, plan, calib, s, listener);
        HeldOutData held = HeldOutData.after(calib, s.samples(), s.heldOut(), sampleShape, s.seed() + 1);
        return new Result(fp32File, fp32, Calibration.insert(fp32, plan, scales, s.methodId()), held, cached, s);
    }

    /** Scales from the cache, after checking it belongs to this model, method and plan, and fits the data. */
    private static Map<String, Float> cachedScales(ModelProto fp32, QdqPlan plan, CalibrationData calib, Settings s,
                                                   Listener listener) throws IOException, BackendException {
        Path file = s.cache();
        CalibrationCache c = CalibrationCache.read(file);
        c.requireModel(ModelFingerprint.of(fp32), file);
        if (!c.method().equals(s.methodId())) {
            throw new IllegalArgumentException("calibration cache " + file + " holds " + c.method() + " scales, not "
                    + s.methodId() + "; calibrate with method " + c.method().replaceAll("\\(.*", "")
                    + " or use another cache");
        }
        List<String> missing = plan.activationTensors().stream().filter(t -> c.scale(t) == null).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("calibration cache " + file + " lacks scales for " + missing.size()
                    + " tensors (e.g. '" + missing.get(0) + "'): it was made with other exclusions or another Q/DQ"
                    + " target");
        }
        // a few samples' ranges against the cached scales: a corrupt cache fails here, not as a NaN model
        int few = Math.min(calib.size(), s.batch());
        c.checkRanges(Calibration.ranges(fp32, plan.activationTensors(), calib, few, s.batch(), s.backendOptions()),
                file);
        listener.step(String.format(Locale.ROOT, "using calibration cache %s (%d scales, %s, data %s)", file,
                c.scales().size(), c.method(), c.dataFingerprint()));
        return new LinkedHashMap<>(c.scales());
    }

    /** Scales measured on the data's first samples; written to the cache when one is set. */
    private static Map<String, Float> calibrate(ModelProto fp32, QdqPlan plan, CalibrationData calib,
                                                Settings s, Listener listener) throws IOException, BackendException {
        if (s.samples() > calib.size()) {
            throw new IllegalArgumentException("samples " + s.samples() + " asks for more samples than the data holds ("
                    + calib.describe() + ")");
        }
        listener.step(String.format(Locale.ROOT, "calibrating on %d of %s (%s, %d tensors, batch %d)",
                s.samples(), calib.describe(), s.methodId(), plan.activationTensors().size(),
                s.batch()));
        long t0 = System.nanoTime();
        Map<String, AbsHistogram> h = Calibration.collect(fp32, plan.activationTensors(), calib, s.samples(),
                s.batch(), s.backendOptions(), listener);
        Map<String, Float> scales = Calibration.scales(h, s.method().calibrator(s.percentile()));
        listener.step(String.format(Locale.ROOT, "calibrated in %.1f s", (System.nanoTime() - t0) / 1e9));
        if (s.cache() != null) {
            new CalibrationCache(s.methodId(), ModelFingerprint.of(fp32), calib.fingerprint(), s.samples(), scales)
                    .write(s.cache());
            listener.step("wrote calibration cache " + s.cache());
        }
        return scales;
    }
}
