package dev.vitrt.tensorrt;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.TensorRtSupport;
import dev.vitrt.tensorrt.cache.OnnxEngines;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The TensorRT backend as {@link dev.vitrt.runtime.Backends} finds it (ServiceLoader). Runs plans with their
 * manifest, and ONNX files through the engine cache ({@link OnnxEngines}: built on first use, loaded after).
 */
public final class TensorRtBackendSupport implements TensorRtSupport {
    @Override
    public Availability availability() {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        return s.available() ? Availability.yes(s.reason()) : Availability.no(s.reason());
    }

    @Override
    public Availability availability(Path model) {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        if (!s.available()) {
            return Availability.no(s.reason());
        }
        if (isOnnx(model)) {
            return Availability.yes(s.reason() + "; " + model.getFileName() + "'s engine is built on first use and"
                    + " cached");
        }
        try {
            String why = PlanManifest.readFor(model).incompatibility(s.tensorRtVersion(), s.gpuName(),
                    s.computeCapability());
            return why == null ? Availability.yes(s.reason()) : Availability.no(model + ": " + why);
        } catch (IOException e) {
            return Availability.no(e.getMessage());
        }
    }

    @Override
    public Backend open(Path model, BackendOptions options) throws BackendException {
        if (isOnnx(model)) {
            return OnnxEngines.open(model, options, OnnxEngines.cache(options));
        }
        return TensorRtBackend.open(model, options);
    }

    private static boolean isOnnx(Path p) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }
}
