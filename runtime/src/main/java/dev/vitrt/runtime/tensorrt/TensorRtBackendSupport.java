package dev.vitrt.runtime.tensorrt;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.TensorRtSupport;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The TensorRT backend as {@link dev.vitrt.runtime.Backends} finds it (ServiceLoader). Runs plans with their
 * manifest; an ONNX file must be built first ({@code vitrt build-engine}), which needs the engine builder, not the
 * runtime.
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
            // the runtime cannot build engines (that is the engine builder's job), so `auto` keeps ONNX files on
            // ONNX Runtime instead of choosing a backend that cannot open them
            return Availability.no("TensorRT runs plans; build one from " + model.getFileName()
                    + " with `vitrt build-engine`");
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
            throw new BackendException(model + " is an ONNX file: build a plan with `vitrt build-engine " + model
                    + " --precision fp16 -o FILE.plan` and open that");
        }
        return TensorRtBackend.open(model, options);
    }

    private static boolean isOnnx(Path p) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }
}
