package dev.vitrt.tensorrt.cache;

import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.EngineBuilder;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BuildListener;
import dev.vitrt.tensorrt.Cuda;
import dev.vitrt.tensorrt.TensorRtBackend;
import dev.vitrt.tensorrt.TensorRtUnavailableException;
import java.io.IOException;
import java.nio.file.Path;

/** The engine cache's builds through TensorRT ({@link EngineBuilder}), on the GPU asked for. */
public final class TensorRtEngineFactory implements EngineFactory {
    @Override
    public Target target(int deviceId) throws BackendException {
        return TensorRtBackend.target(deviceId);
    }

    @Override
    public void build(Path onnx, BuildOptions options, int deviceId, Path plan, BuildListener listener)
            throws IOException, BackendException {
        Cuda.setDevice(deviceId); // TensorRT builds on the calling thread's current device
        try {
            EngineBuilder.build(onnx, options, plan, listener);
        } catch (TensorRtUnavailableException e) {
            throw new BackendException("TensorRT backend unavailable: " + e.getMessage(), e);
        }
    }
}
