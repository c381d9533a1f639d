package dev.vitrt.engine.trt;

/**
 * Receives what TensorRT reports while it builds an engine, so that a caller can show progress: TensorRT's info
 * messages name the build's phases (the JavaCPP presets do not let Java implement {@code IProgressMonitor}). Every
 * message also goes to the {@link System.Logger} {@code dev.vitrt.tensorrt}.
 */
@FunctionalInterface
public interface BuildListener {
    /**
     * One message of the build's thread.
     *
     * @param severity {@code error}, {@code warning}, {@code info}, or {@code verbose} (only with
     *                 {@link BuildOptions#verbose()})
     */
    void message(String severity, String text);

    /** Ignores everything. */
    BuildListener NONE = (severity, text) -> {
    };
}
