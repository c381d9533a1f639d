package dev.vitrt.runtime;

import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.tensorrt.TensorRtSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Chooses and opens backends: the one function behind {@code --backend auto|onnxruntime|tensorrt}. */
public final class Backends {

    /** The backend chosen for a request and why, e.g. {@code onnxruntime: TensorRT unavailable (no CUDA device)}. */
    public record Choice(BackendKind kind, String reason) {
    }

    private Backends() {
    }

    /**
     * Decides which backend runs {@code model}. {@code auto} takes TensorRT when it can run the model here and ONNX
     * Runtime otherwise; an explicit {@code tensorrt} that cannot run fails with the reason.
     *
     * @throws BackendException if TensorRT was asked for explicitly and cannot run
     */
    public static Choice choose(BackendKind requested, Path model) throws BackendException {
        return choose(requested, model, tensorRtSupport());
    }

    /** {@link #choose(BackendKind, Path)} with an explicit TensorRT seam (tests, embedding). */
    public static Choice choose(BackendKind requested, Path model, Optional<TensorRtSupport> trt)
            throws BackendException {
        boolean onnx = model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
        switch (requested) {
            case ONNXRUNTIME:
                if (!onnx) {
                    throw new BackendException(model + ": ONNX Runtime needs an .onnx file");
                }
                return new Choice(BackendKind.ONNXRUNTIME, "requested");
            case TENSORRT: {
                TensorRtSupport.Availability a = availability(trt, model);
                if (!a.available()) {
                    throw new BackendException("TensorRT backend unavailable: " + a.reason());
                }
                return new Choice(BackendKind.TENSORRT, "requested; " + a.reason());
            }
            default: {
                TensorRtSupport.Availability a = availability(trt, model);
                if (a.available()) {
                    return new Choice(BackendKind.TENSORRT, "auto: " + a.reason());
                }
                if (!onnx) {
                    throw new BackendException(model + ": not an .onnx file, and TensorRT is unavailable: " + a.reason());
                }
                return new Choice(BackendKind.ONNXRUNTIME, "auto: TensorRT unavailable (" + a.reason() + ")");
            }
        }
    }

    /** Opens {@code model} on the chosen backend. */
    public static Backend open(Path model, Choice choice, BackendOptions options) throws BackendException {
        if (!Files.isRegularFile(model)) {
            throw new BackendException("no such model file: " + model);
        }
        if (choice.kind() == BackendKind.TENSORRT) {
            TensorRtSupport trt = tensorRtSupport().orElseThrow(
                    () -> new BackendException("TensorRT backend unavailable: not built into this VitRT"));
            return trt.open(model, options);
        }
        return OnnxRuntimeBackend.open(model, options);
    }

    /** Chooses and opens in one step. */
    public static Backend open(Path model, BackendKind requested, BackendOptions options) throws BackendException {
        return open(model, choose(requested, model), options);
    }

    /** The TensorRT implementation on the class path, if any. */
    public static Optional<TensorRtSupport> tensorRtSupport() {
        try {
            Iterator<TensorRtSupport> it = ServiceLoader.load(TensorRtSupport.class).iterator();
            return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
        } catch (ServiceConfigurationError | LinkageError e) {
            return Optional.empty();
        }
    }

    private static TensorRtSupport.Availability availability(Optional<TensorRtSupport> trt, Path model) {
        if (trt.isEmpty()) {
            return TensorRtSupport.Availability.no("no TensorRT backend in this VitRT build");
        }
        try {
            return trt.get().availability(model);
        } catch (RuntimeException | LinkageError e) {
            return TensorRtSupport.Availability.no("TensorRT failed to load: " + e.getMessage());
        }
    }
}
