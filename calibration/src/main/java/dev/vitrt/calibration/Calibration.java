package dev.vitrt.calibration;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.calibration.calibrators.Calibrator;
import dev.vitrt.calibration.data.CalibrationData;
import dev.vitrt.calibration.qdq.QdqInserter;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.calibration.qdq.QdqPlan;
import dev.vitrt.calibration.qdq.QdqPlanner;
import dev.vitrt.calibration.stats.AbsHistogram;
import dev.vitrt.calibration.stats.ActivationStatistics;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Progress;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs calibration data through a float model and turns the activation histograms into INT8 scales. */
public final class Calibration {
    /**
     * A quantized model and how it was made.
     *
     * @param model  the Q/DQ graph (metadata {@code vitrt.qdq.target} and {@code vitrt.calibration.method} set)
     * @param plan   where the Q/DQ pairs went
     * @param scales activation scale by tensor name
     * @param method the method's id as caches record it, e.g. {@code mse} or {@code percentile(99.99)}
     */
    public record Quantized(ModelProto model, QdqPlan plan, Map<String, Float> scales, String method) {
    }

    private Calibration() {
    }

    /** A method's id as caches and metadata record it: {@code percentile(P)} for percentile, else its name. */
    public static String methodId(CalibrationMethod method, double percentile) {
        return method == CalibrationMethod.PERCENTILE ? "percentile(" + percentile + ")" : method.id();
    }

    /**
     * Post-training quantization in one step: plans the Q/DQ placement for {@code options}, calibrates on samples
     * {@code [0, samples)} of {@code data} (progress under the label {@code calibrating}), inserts the Q/DQ pairs.
     */
    public static Quantized quantize(ModelProto fp32, CalibrationData data, int samples, int batch,
                                     CalibrationMethod method, double percentile, QdqOptions options,
                                     BackendOptions backendOptions, Progress progress)
            throws IOException, BackendException {
        QdqPlan plan = QdqPlanner.plan(fp32, options);
        Map<String, AbsHistogram> h = collect(fp32, plan.activationTensors(), data, samples, batch, backendOptions,
                progress);
        Map<String, Float> scales = scales(h, method.calibrator(percentile));
        return insert(fp32, plan, scales, methodId(method, percentile));
    }

    /** Inserts the Q/DQ pairs of {@code plan} with these scales, recording the method in the graph's metadata. */
    static Quantized insert(ModelProto fp32, QdqPlan plan, Map<String, Float> scales, String methodId) {
        ModelProto q = QdqInserter.insert(fp32, plan, scales);
        q = OnnxModels.withMetadata(q, OnnxModels.metadata(q).withCalibrationMethod(methodId));
        return new Quantized(q, plan, scales, methodId);
    }

    /**
     * Runs samples {@code [0, samples)} of {@code data} through {@code model} in batches of {@code batch}, collecting
     * the histograms of {@code tensors}; reports progress per batch under the label {@code calibrating}.
     */
    public static Map<String, AbsHistogram> collect(ModelProto model, Collection<String> tensors, CalibrationData data,
                                                    int samples, int batch, BackendOptions options, Progress progress)
            throws IOException, BackendException {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, got " + samples);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        if (samples > data.size()) {
            throw new IllegalArgumentException("samples " + samples + " asks for more samples than the data holds ("
                    + data.describe() + ")");
        }
        progress.update("preparing", 0, 1); // ONNX Runtime loads and optimizes the graph with every tensor exposed
        try (ActivationStatistics stats = ActivationStatistics.open(model, tensors, options)) {
            // a graph exported with a fixed batch takes only that batch: whole batches of it, the rest dropped
            int fixed = stats.fixedBatch();
            int size = fixed > 0 ? fixed : batch;
            int batches = fixed > 0 ? samples / fixed : (samples + batch - 1) / batch;
            if (batches == 0) {
                throw new IllegalArgumentException("the model takes batches of exactly " + fixed + " but samples is "
                        + samples);
            }
            progress.update("calibrating", 0, batches);
            for (int b = 0; b < batches; b++) {
                int from = b * size;
                stats.add(data.batch(from, Math.min(size, samples - from)));
                progress.update("calibrating", b + 1, batches);
            }
            return stats.histograms();
        }
    }

    /** The largest |value| of each of {@code tensors} over samples {@code [0, samples)} of {@code data}. */
    public static Map<String, Double> ranges(ModelProto model, Collection<String> tensors, CalibrationData data,
                                             int samples, int batch, BackendOptions options)
            throws IOException, BackendException {
        Map<String, Double> out = new LinkedHashMap<>();
        collect(model, tensors, data, samples, batch, options, Progress.NONE).forEach((t, h) -> out.put(t, h.absMax()));
        return out;
    }

    /** One scale per tensor, chosen by {@code calibrator}. */
    public static Map<String, Float> scales(Map<String, AbsHistogram> histograms, Calibrator calibrator) {
        Map<String, Float> out = new LinkedHashMap<>();
        histograms.forEach((t, h) -> out.put(t, calibrator.scale(h)));
        return out;
    }
}
