package dev.vitrt.runtime.tensorrt;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import java.nio.file.Path;

/**
 * The seam through which a TensorRT backend plugs into {@link dev.vitrt.runtime.Backends}: an implementation is found
 * with {@link java.util.ServiceLoader} (listed in {@code META-INF/services/dev.vitrt.runtime.tensorrt.TensorRtSupport}),
 * so the runtime compiles and runs without TensorRT's native libraries.
 */
public interface TensorRtSupport {

    /** Whether TensorRT can run this model here; when not, the reason names what is missing and how to get it. */
    Availability availability(Path model);

    /** Opens the model (a plan/engine file, or an ONNX file it builds an engine from). */
    Backend open(Path model, BackendOptions options) throws BackendException;

    /** Whether TensorRT can run, and why (or why not), in one line. */
    record Availability(boolean available, String reason) {
        public static Availability yes(String reason) {
            return new Availability(true, reason);
        }

        public static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }
}
