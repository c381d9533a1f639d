package dev.vitrt.calibration.stats;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.io.TemporaryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Collects the statistics of chosen intermediate tensors through ONNX Runtime: the tensors become extra graph
 * outputs of a copy of the model, each calibration batch is run once, and every output feeds its tensor's
 * {@link AbsHistogram}. Only the histograms outlive a batch.
 */
public final class ActivationStatistics implements AutoCloseable {
    private final Backend backend;
    private final Map<String, AbsHistogram> histograms = new LinkedHashMap<>();
    private long samples;

    private ActivationStatistics(Backend backend, Collection<String> tensors) {
        this.backend = backend;
        for (String t : tensors) {
            histograms.put(t, new AbsHistogram());
        }
    }

    /**
     * Opens {@code model} on ONNX Runtime (CPU) with {@code tensors} exposed as outputs.
     *
     * @throws BackendException if ONNX Runtime cannot load the model
     */
    public static ActivationStatistics open(ModelProto model, Collection<String> tensors, BackendOptions options)
            throws BackendException, IOException {
        ModelProto exposed = withOutputs(model, tensors);
        Path tmp = TemporaryFiles.createFile("vitrt-calibration-", ".onnx");
        try {
            Files.write(tmp, exposed.toByteArray());
            return new ActivationStatistics(OnnxRuntimeBackend.open(tmp, options), tensors);
        } finally {
            TemporaryFiles.delete(tmp); // the session holds the model; the file is no longer needed
        }
    }

    /** A copy of {@code model} whose graph also outputs {@code tensors} (types left for ONNX Runtime to infer). */
    public static ModelProto withOutputs(ModelProto model, Collection<String> tensors) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        Set<String> present = new HashSet<>();
        g.getOutputList().forEach(v -> present.add(v.getName()));
        Map<String, ValueInfoProto> typed = new LinkedHashMap<>();
        for (ValueInfoProto v : g.getValueInfoList()) {
            typed.put(v.getName(), v);
        }
        for (String t : tensors) {
            if (present.add(t)) {
                ValueInfoProto v = typed.get(t);
                g.addOutput(v != null ? v : ValueInfoProto.newBuilder().setName(t).build());
            }
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** The name of the model's single input. */
    public String inputName() {
        return backend.singleInput().name();
    }

    /** The model's fixed batch size, or 0 when its batch dimension is dynamic. */
    public int fixedBatch() {
        long[] shape = backend.singleInput().shape();
        return shape.length > 0 && shape[0] > 0 ? (int) shape[0] : 0;
    }

    /** Runs one batch and adds every watched tensor's values to its histogram. */
    public void add(FloatTensor batch) throws BackendException {
        Map<String, FloatTensor> out = backend.run(Map.of(inputName(), batch));
        for (Map.Entry<String, AbsHistogram> e : histograms.entrySet()) {
            FloatTensor t = out.get(e.getKey());
            if (t == null) {
                throw new BackendException("ONNX Runtime did not return tensor '" + e.getKey() + "'");
            }
            e.getValue().add(t.data());
        }
        samples += batch.dim(0);
    }

    /** Histograms by tensor name, in the order the tensors were given. */
    public Map<String, AbsHistogram> histograms() {
        return histograms;
    }

    /** Number of samples run so far. */
    public long samples() {
        return samples;
    }

    @Override
    public void close() {
        backend.close();
    }
}
