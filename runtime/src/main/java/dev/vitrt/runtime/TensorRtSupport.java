package dev.vitrt.runtime;

import java.nio.file.Path;

/**
 * The seam through which a TensorRT backend plugs into {@link Backends}: the TensorRT module ({@code vitrt-tensorrt})
 * implements it and lists its implementation in {@code META-INF/services/dev.vitrt.runtime.TensorRtSupport}, where
 * {@link java.util.ServiceLoader} finds it. The runtime itself has no TensorRT or JavaCPP dependency: without the
 * module on the class path, TensorRT is simply unavailable.
 */
public interface TensorRtSupport {

    /** Whether TensorRT can run here at all (natives and a GPU); when not, the reason names what is missing. */
    Availability availability();

    /**
     * Whether TensorRT can run this model here: a plan must have been built for this TensorRT and GPU; an ONNX file is
     * built into an engine on first use.
     */
    Availability availability(Path model);

    /**
     * Opens the model: a plan with its manifest, or an ONNX file, whose engine is built for
     * {@link BackendOptions#precision()} and {@link BackendOptions#batch()} on first use and taken from the engine cache
     * after.
     */
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
