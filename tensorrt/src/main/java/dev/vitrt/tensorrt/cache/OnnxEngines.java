package dev.vitrt.tensorrt.cache;

import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.GraphInfo;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.Precision;
import dev.vitrt.tensorrt.TensorRtBackend;
import java.io.IOException;
import java.nio.file.Path;

/**
 * ONNX in, engine out: how {@code Backends.open(model.onnx, TENSORRT, options)} runs a graph on TensorRT, through the
 * engine cache (built on first use, loaded after).
 */
public final class OnnxEngines {
    private static final System.Logger LOG = System.getLogger("dev.vitrt.tensorrt");

    private OnnxEngines() {
    }

    /**
     * Opens {@code onnx} on TensorRT with the engine the cache holds for these options, building it first if needed.
     * A cached engine TensorRT refuses to load is evicted and built again, once.
     */
    public static TensorRtBackend open(Path onnx, BackendOptions options, EngineCache cache) throws BackendException {
        try {
            BuildOptions bo = buildOptions(onnx, options);
            EngineCache.Entry e = cache.obtain(onnx, bo, options.deviceId(), options.buildListenerOrNone());
            try {
                return TensorRtBackend.open(e.plan(), onnx, options);
            } catch (BackendException ex) {
                if (e.built()) {
                    throw ex;
                }
                LOG.log(System.Logger.Level.WARNING, "cached engine " + e.plan() + " did not load (" + ex.getMessage()
                        + "); building it again");
                cache.evict(e);
                return TensorRtBackend.open(cache.obtain(onnx, bo, options.deviceId(),
                        options.buildListenerOrNone()).plan(), onnx, options);
            }
        } catch (IOException e) {
            throw new BackendException(onnx + ": " + e.getMessage(), e);
        }
    }

    /** The cache of {@link BackendOptions#engineCache()}, else the default one. */
    public static EngineCache cache(BackendOptions options) {
        return new EngineCache(options.engineCache() != null ? options.engineCache() : EngineCache.defaultDirectory(),
                new TensorRtEngineFactory());
    }

    /**
     * The build the backend options ask for: their precision, else the graph's own (int8 for a Q/DQ graph, else fp32);
     * their batch range, else the graph's fixed batch, else 1.
     */
    public static BuildOptions buildOptions(Path onnx, BackendOptions o) throws IOException {
        Precision p = o.precision();
        BatchRange batch = o.batch();
        if (p == null || batch == null) {
            GraphInfo g = GraphInfo.of(OnnxModels.read(onnx), EngineCache.modelName(onnx));
            if (p == null) {
                p = g.hasQdq() ? Precision.INT8 : Precision.FP32;
            }
            if (batch == null) {
                batch = new BatchRange(1, 1, 1);
                for (TensorSpec t : g.inputs()) {
                    if (t.shape().length > 0 && t.shape()[0] > 0) {
                        int n = (int) t.shape()[0];
                        batch = new BatchRange(n, n, n);
                    }
                }
            }
        }
        BuildOptions d = BuildOptions.defaults(p);
        return new BuildOptions(p, batch, null, d.workspaceMiB(), d.optimizationLevel(), null,
                d.hardwareCompatibility(), false);
    }
}
