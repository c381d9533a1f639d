package dev.vitrt.runtime;

import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Chooses and opens backends: the one place that decides between ONNX Runtime and TensorRT, behind
 * {@code --backend auto|onnxruntime|tensorrt}. TensorRT is available when the TensorRT module is on the class path
 * ({@link TensorRtSupport}) and its natives and a GPU are here; it opens plans, and ONNX files through its engine
 * cache (built on first use).
 */
public final class Backends {

    /** The backend chosen for a request and why, e.g. {@code onnxruntime: TensorRT unavailable (no CUDA device)}. */
    public record Choice(BackendKind kind, String reason) {
    }

    private Backends() {
    }

    /**
     * Decides which backend runs {@code model}. {@code auto} takes TensorRT when it can run the model here (a plan
     * built for this TensorRT and GPU, or an ONNX file it builds an engine from) and ONNX Runtime otherwise; an
     * explicit {@code tensorrt} that cannot run fails with the reason.
     *
     * @throws BackendException if TensorRT was asked for explicitly and cannot run, or ONNX Runtime for a plan
     */
    public static Choice choose(BackendKind requested, Path model) throws BackendException {
        return choose(requested, model, tensorRtSupport());
    }

    /**
     * Decides the backend for ONNX graphs in general, e.g. a table of zoo models exported one by one: decided once, so
     * that its reason is said once. {@code auto} takes TensorRT when it can run here (it builds an engine per graph).
     *
     * @throws BackendException if TensorRT was asked for explicitly and cannot run
     */
    public static Choice choose(BackendKind requested) throws BackendException {
        return choose(requested, null, tensorRtSupport());
    }

    /**
     * {@link #choose(BackendKind, Path)} with an explicit TensorRT seam (tests, embedding); a null model decides for
     * ONNX graphs in general.
     */
    public static Choice choose(BackendKind requested, Path model, Optional<TensorRtSupport> trt)
            throws BackendException {
        boolean onnx = model == null || isOnnx(model);
        switch (requested) {
            case ONNXRUNTIME:
                if (!onnx) {
                    throw new BackendException(model + ": ONNX Runtime runs .onnx files; a TensorRT plan runs on the tensorrt"
                            + " backend");
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
                    throw new BackendException(model + " runs on TensorRT only, and TensorRT is unavailable: " + a.reason());
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
            TensorRtSupport trt = tensorRtSupport().orElseThrow(() -> new BackendException(
                    "TensorRT backend unavailable: " + NO_MODULE));
            return trt.open(model, options);
        }
        return OnnxRuntimeBackend.open(model, options);
    }

    /**
     * Chooses and opens in one step: {@code open(model.onnx, TENSORRT, options)} builds an engine on first use (cached
     * after); {@code AUTO} does so where TensorRT can run, else opens the graph on ONNX Runtime.
     */
    public static Backend open(Path model, BackendKind requested, BackendOptions options) throws BackendException {
        return open(model, choose(requested, model), options);
    }

    /**
     * The TensorRT implementation on the class path, if any. A provider that cannot be loaded (a stale service entry
     * of an older build, a class that fails to link) is skipped for the next one.
     */
    public static Optional<TensorRtSupport> tensorRtSupport() {
        Iterator<TensorRtSupport> it = ServiceLoader.load(TensorRtSupport.class).iterator();
        for (int i = 0; i < 16; i++) { // the iterator moves past a failed provider; a bound guards against a loop
            try {
                return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
            } catch (ServiceConfigurationError | LinkageError e) {
                // try the next provider
            }
        }
        return Optional.empty();
    }

    /** Why TensorRT is unavailable when its module is not on the class path. */
    static final String NO_MODULE = "the TensorRT module (dev.vitrt:vitrt-tensorrt) is not on the class path";

    private static TensorRtSupport.Availability availability(Optional<TensorRtSupport> trt, Path model) {
        if (trt.isEmpty()) {
            return TensorRtSupport.Availability.no(NO_MODULE);
        }
        try {
            return model == null ? trt.get().availability() : trt.get().availability(model);
        } catch (RuntimeException | LinkageError e) {
            return TensorRtSupport.Availability.no("TensorRT failed to load: " + e.getMessage());
        }
    }

    private static boolean isOnnx(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }
}
