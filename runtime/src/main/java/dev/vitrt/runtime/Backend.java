package dev.vitrt.runtime;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded model that can be run, the way a Polygraphy runner is: open a model file, describe its inputs and
 * outputs, run it on float tensors, close it. Implementations are safe to {@link #run} from many threads at once
 * (each call gets its own outputs); {@link #close} is idempotent and a run after close fails.
 *
 * <p>Open one through {@link Backends#open}.
 */
public interface Backend extends AutoCloseable {

    /** Short name of the implementation: {@code onnxruntime} or {@code tensorrt}. */
    String name();

    /** Where it runs, for reports, e.g. {@code CPU (4 threads)}. */
    String device();

    /** The model file this backend was opened on. */
    Path modelPath();

    /** The model's inputs, in the model's order; dynamic dimensions are -1. */
    List<TensorSpec> inputs();

    /** The model's outputs, in the model's order; dynamic dimensions are -1. */
    List<TensorSpec> outputs();

    /** The model's metadata (ONNX {@code metadata_props}, or what an engine's manifest recorded); never null. */
    Map<String, String> metadata();

    /**
     * Runs the model once on these inputs (by name; every model input must be given) and returns every output by
     * name, in the model's order.
     *
     * @throws IllegalArgumentException if an input is missing, unknown, or does not fit the model's shape
     * @throws BackendException if the backend fails to run
     */
    Map<String, FloatTensor> run(Map<String, FloatTensor> inputs) throws BackendException;

    /** Runs a single-input model on data in a buffer (read from its position, not consumed) of this shape. */
    default Map<String, FloatTensor> run(FloatBuffer input, long[] shape) throws BackendException {
        float[] data = new float[input.remaining()];
        input.duplicate().get(data);
        return run(Map.of(singleInput().name(), new FloatTensor(shape, data)));
    }

    /** Runs a single-input model and returns its first output. */
    default FloatTensor run(FloatTensor input) throws BackendException {
        return run(Map.of(singleInput().name(), input)).values().iterator().next();
    }

    /**
     * Binds these inputs once for repeated runs (the benchmark's loop), so that per-run work is what a service would
     * pay, not input conversion. The default simply calls {@link #run(Map)}.
     */
    default PreparedRun prepare(Map<String, FloatTensor> inputs) throws BackendException {
        Map<String, FloatTensor> bound = Map.copyOf(inputs);
        return new PreparedRun() {
            @Override
            public Map<String, FloatTensor> run() throws BackendException {
                return Backend.this.run(bound);
            }

            @Override
            public void runDiscardingOutputs() throws BackendException {
                Backend.this.run(bound);
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * The largest batch one run takes: a TensorRT plan's optimization profile ends at its maximum batch, a graph with a
     * fixed batch dimension takes that batch; {@link Integer#MAX_VALUE} when nothing limits it.
     */
    default int maxBatch() {
        int max = Integer.MAX_VALUE;
        for (TensorSpec s : inputs()) {
            if (s.shape().length > 0 && s.shape()[0] > 0) {
                max = (int) Math.min(max, s.shape()[0]);
            }
        }
        return max;
    }

    /** The only input of a single-input model. */
    default TensorSpec singleInput() {
        List<TensorSpec> in = inputs();
        if (in.size() != 1) {
            throw new IllegalArgumentException(modelPath() + ": model has " + in.size()
                    + " inputs; name them explicitly");
        }
        return in.get(0);
    }

    /** Releases native resources; calling it again does nothing. */
    @Override
    void close();

    /** Inputs bound for repeated runs. */
    interface PreparedRun extends AutoCloseable {
        /** Runs once and returns the outputs. */
        Map<String, FloatTensor> run() throws BackendException;

        /** Runs once, dropping the outputs without copying them out (for timing). */
        void runDiscardingOutputs() throws BackendException;

        @Override
        void close();
    }
}
