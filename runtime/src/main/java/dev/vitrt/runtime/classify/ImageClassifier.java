package dev.vitrt.runtime.classify;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import dev.vitrt.runtime.preprocess.RgbImage;
import dev.vitrt.runtime.session.InferenceSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image classifier over one model file, the way DJL's {@code Predictor<Image, Classifications>} is: the model's own
 * preprocessing (timm's eval transform, from the graph's metadata), a backend, and the top classes with the model's
 * class names, behind one handle to close.
 *
 * <p>Any number of threads may classify at once. With {@link Options#withBatching batching}, calls that arrive
 * together run as one batch ({@link InferenceSession}'s dynamic batcher); preprocessing always runs in the calling
 * thread.
 */
public final class ImageClassifier implements AutoCloseable {

    /**
     * How to open a classifier.
     *
     * @param backend        which backend runs the model ({@link BackendKind#AUTO}: TensorRT where it can, else ONNX
     *                       Runtime)
     * @param backendOptions threads and device
     * @param batching       dynamic batching settings; null runs each call on its own
     * @param classNames     the names of the model's classes; null takes those the graph declares, else
     *                       ImageNet-1k's for a 1000-class output ({@link ClassNames#forModel})
     */
    public record Options(BackendKind backend, BackendOptions backendOptions, InferenceSession.Batching batching,
                          ClassNames classNames) {
        public Options {
            if (backend == null || backendOptions == null) {
                throw new IllegalArgumentException("backend and backendOptions must be given");
            }
        }

        /** ONNX Runtime or TensorRT as {@code auto} chooses, backend defaults, no batching, the model's class names. */
        public static Options defaults() {
            return new Options(BackendKind.AUTO, BackendOptions.defaults(), null, null);
        }

        public Options withBackend(BackendKind kind) {
            return new Options(kind, backendOptions, batching, classNames);
        }

        public Options withBackendOptions(BackendOptions options) {
            return new Options(backend, options, batching, classNames);
        }

        public Options withBatching(InferenceSession.Batching settings) {
            return new Options(backend, backendOptions, settings, classNames);
        }

        public Options withClassNames(ClassNames names) {
            return new Options(backend, backendOptions, batching, names);
        }
    }

    private final InferenceSession session;
    private final ImagePreprocessor preprocessor;
    private final ClassNames classNames;

    private ImageClassifier(InferenceSession session, ImagePreprocessor preprocessor, ClassNames classNames) {
        this.session = session;
        this.preprocessor = preprocessor;
        this.classNames = classNames;
    }

    /** Opens {@code model} (an .onnx graph, or a TensorRT plan) with {@link Options#defaults()}. */
    public static ImageClassifier open(Path model) throws BackendException {
        return open(model, Options.defaults());
    }

    /**
     * Opens {@code model}, whose single input must be an NCHW RGB image batch and whose first output [N, classes]
     * logits.
     *
     * @throws BackendException         if the model cannot be opened
     * @throws IllegalArgumentException if the model is not an image classifier, or the class names do not fit it
     */
    public static ImageClassifier open(Path model, Options options) throws BackendException {
        Backend backend = Backends.open(model, options.backend(), options.backendOptions());
        try {
            TensorSpec input = backend.singleInput();
            long[] in = input.shape();
            if (in.length != 4 || in[1] != 3) {
                throw new IllegalArgumentException(model + ": input '" + input.name() + "' has shape "
                        + FloatTensor.shapeString(in) + "; an image classifier takes [N, 3, H, W]");
            }
            long[] out = backend.outputs().get(0).shape();
            if (out.length != 2 || out[1] < 1) {
                throw new IllegalArgumentException(model + ": output '" + backend.outputs().get(0).name()
                        + "' has shape " + FloatTensor.shapeString(out) + "; an image classifier gives [N, classes]");
            }
            ClassNames names = options.classNames();
            if (names != null && names.size() != out[1]) {
                throw new IllegalArgumentException("classNames has " + names.size() + " names but " + model
                        + " has " + out[1] + " classes");
            }
            if (names == null) {
                names = ClassNames.forModel(backend.metadata(), out[1]).orElse(null);
            }
            ImagePreprocessor preprocessor = ImagePreprocessor.forModel(backend.metadata(), input, null);
            return new ImageClassifier(InferenceSession.open(backend, options.batching()), preprocessor, names);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** The {@code k} most likely classes of the image in {@code file} (JPEG, PNG, ...), most likely first. */
    public List<Classification> classify(Path file, int k) throws IOException, BackendException {
        return classify(RgbImage.read(file), k);
    }

    /** The {@code k} most likely classes of a decoded image, most likely first. */
    public List<Classification> classify(BufferedImage image, int k) throws BackendException {
        return classify(RgbImage.of(image), k);
    }

    private List<Classification> classify(RgbImage image, int k) throws BackendException {
        int side = preprocessor.config().inputSize();
        FloatTensor x = new FloatTensor(new long[] {1, 3, side, side}, preprocessor.sample(image));
        return Classification.topK(session.inferFirst(x), 0, k, classNames);
    }

    /** The {@code k} most likely classes of each image, in one run of the model. */
    public List<List<Classification>> classifyAll(List<Path> files, int k) throws IOException, BackendException {
        FloatTensor logits = session.inferFirst(preprocessor.loadBatch(files));
        List<List<Classification>> out = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            out.add(Classification.topK(logits, i, k, classNames));
        }
        return out;
    }

    /** The preprocessing applied to every image. */
    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** The names of the model's classes, where known. */
    public Optional<ClassNames> classNames() {
        return Optional.ofNullable(classNames);
    }

    /** The session that runs the model (its backend, and the batches run so far). */
    public InferenceSession session() {
        return session;
    }

    /** Stops the batcher and closes the backend. Idempotent. */
    @Override
    public void close() {
        session.close();
    }
}
