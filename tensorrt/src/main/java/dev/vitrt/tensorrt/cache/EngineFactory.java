package dev.vitrt.tensorrt.cache;

import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BuildListener;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the engine cache needs of TensorRT: where it would build (so that the key names the GPU and TensorRT version),
 * and the build itself. {@link TensorRtEngineFactory} is the real one; tests count builds with a fake.
 */
public interface EngineFactory {

    /** This machine's TensorRT and the GPU an engine is built on. */
    record Target(String tensorRtVersion, String gpuName, String computeCapability) {
    }

    /**
     * The TensorRT version and GPU of device {@code deviceId}.
     *
     * @throws BackendException when TensorRT cannot run here
     */
    Target target(int deviceId) throws BackendException;

    /**
     * Builds {@code onnx} into {@code plan}, writing its manifest beside it ({@code plan.json}); a failed build leaves
     * neither.
     */
    void build(Path onnx, BuildOptions options, int deviceId, Path plan, BuildListener listener)
            throws IOException, BackendException;
}
