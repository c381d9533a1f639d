package dev.vitrt.engine.validate;

import dev.vitrt.runtime.Precision;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.calibration.Calibration;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.calibration.data.CalibrationData;
import dev.vitrt.calibration.data.CalibrationSources;
import dev.vitrt.calibration.data.ImageFolderData;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.engine.int8.TensorRtQdq;
import dev.vitrt.engine.precision.Fp16Lowering;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.classify.ClassNames;
import dev.vitrt.runtime.io.TemporaryFiles;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import dev.vitrt.runtime.validate.LabelledImages;
import dev.vitrt.runtime.validate.Scorer;
import dev.vitrt.runtime.validate.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Top-1 and top-5 accuracy of a classifier on labelled images, the way timm's validate.py measures it, in each
 * precision it may ship in, side by side: the FP32 graph, its FP16 lowering (the graph a TensorRT FP16 engine is built
 * from; on ONNX Runtime where TensorRT does not run, which checks FP16 numerics on a CPU) and its INT8 Q/DQ graph
 * (calibrated on separate data, or on a slice of the images that is then never scored). All precisions score the same
 * images, decoded once; FP16 and INT8 are compared with FP32 image by image (top-1 agreement, logit cosine).
 *
 * <p>This lives in the engine builder because it needs both the FP16 lowering and calibration; the scoring itself
 * ({@link Scorer}, {@link LabelledImages}) is the runtime's, so a service can score any backend without this module.
 */
public final class Validation {

    /** Where the labelled images are: a folder of class subfolders, or a CSV of {@code path,label} rows. */
    public record Data(Path folder, Path labelsCsv, ClassNames classNames) {
        public Data {
            if (folder == null && labelsCsv == null) {
                throw new IllegalArgumentException("give an image folder or a labels CSV");
            }
        }

        /** Fails at once, naming it, when the folder or the CSV is missing (before a model is exported). */
        public void check() throws IOException {
            LabelledImages.check(labelsCsv, folder);
        }

        /** The folder's images with labels checked against a model with {@code classes} classes. */
        public LabelledImages open(int classes) throws IOException {
            return labelsCsv != null ? LabelledImages.fromCsv(labelsCsv, folder, classes, classNames)
                    : LabelledImages.fromFolder(folder, classes, classNames);
        }
    }

    /**
     * How to validate.
     *
     * @param precisions     what to score, in this order; empty means the graph's own precision
     * @param batch          images per run
     * @param workers        decoding threads
     * @param limit          score at most this many images (spread over the classes), 0 for all
     * @param backend        which backend runs the graphs
     * @param backendOptions threads etc.
     * @param inputSize      image side, null for the model's own
     * @param calibData      INT8 calibration data ({@code DIR|FILE.npy|synthetic}), or null for a slice of the images
     * @param calibSamples   calibration samples
     * @param method         calibration method
     * @param percentile     percentile for the percentile method
     */
    public record Options(List<Precision> precisions, int batch, int workers, int limit, BackendKind backend,
                          BackendOptions backendOptions, Integer inputSize, String calibData, int calibSamples,
                          CalibrationMethod method, double percentile) {
        public Options {
            precisions = List.copyOf(precisions);
            if (EnumSet.copyOf(precisions.isEmpty() ? List.of(Precision.FP32) : precisions).size()
                    != Math.max(1, precisions.size())) {
                throw new IllegalArgumentException("a precision is listed twice: " + precisions);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be >= 0, got " + limit);
            }
            if (calibSamples < 1) {
                throw new IllegalArgumentException("calibration samples must be at least 1, got " + calibSamples);
            }
            new Scorer.Options(batch, workers); // checks batch and workers
        }

        /** FP32 on ONNX Runtime's default threads, batch 32, calibration as {@code calibrate}'s defaults. */
        public static Options defaults(List<Precision> precisions) {
            return new Options(precisions, 32, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 0,
                    BackendKind.AUTO, BackendOptions.defaults(), null, null, 64, CalibrationMethod.MSE, 99.99);
        }
    }

    private Validation() {
    }

    /**
     * Validates {@code model} (an .onnx graph or a TensorRT plan) on {@code data}.
     *
     * @throws IllegalArgumentException on options that do not fit the model or data (one line)
     * @throws IOException              when the model, images or calibration data cannot be read
     * @throws BackendException         when a backend cannot open or run a graph
     */
    public static ValidationReport run(Path model, Data data, Options o, Progress progress)
            throws IOException, BackendException {
        if (!Files.isRegularFile(model)) {
            throw new IOException("no such model file: " + model);
        }
        if (!model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return runAsGiven(model, planPrecision(model, o), data, o, progress);
        }
        ModelProto graph = OnnxModels.read(model);
        Precision given = precisionOf(graph);
        List<Precision> wanted = new ArrayList<>(o.precisions().isEmpty() ? List.of(given) : o.precisions());
        if (wanted.remove(Precision.FP32)) {
            wanted.add(0, Precision.FP32); // the reference of agreement and cosine comes first
        }
        if (given != Precision.FP32) {
            if (!wanted.equals(List.of(given))) {
                throw new IllegalArgumentException(model + " is already an " + given + " graph; validate it as "
                        + given.label() + " alone, or give its FP32 graph to compare precisions");
            }
            return runAsGiven(model, given, data, o, progress);
        }
        Path tmp = TemporaryFiles.createDirectory("vitrt-validate-"); // the FP16 and INT8 graphs; gone on Ctrl-C too
        List<Backend> open = new ArrayList<>();
        try {
            Backend fp32 = Backends.open(model, o.backend(), o.backendOptions());
            open.add(fp32);
            Setup s = setup(fp32, data, o);
            LabelledImages scored = s.images();
            CalibrationData calib = null;
            String calibNote = null;
            if (wanted.contains(Precision.INT8)) {
                if (o.calibData() == null) {
                    if (o.calibSamples() * 2 > s.images().size()) {
                        throw new IllegalArgumentException("INT8 calibration would hold out " + o.calibSamples()
                                + " of the " + s.images().size() + " images, leaving too few to score: use fewer"
                                + " calibration samples or separate calibration data");
                    }
                    LabelledImages.Split split = s.images().split(o.calibSamples());
                    scored = split.rest();
                    calib = ImageFolderData.ofFiles(sourceFolder(data), split.heldOut().files(), s.preprocessor());
                    calibNote = calib.describe() + ", held out of " + s.images().size() + " (never scored), "
                            + o.method().id();
                } else {
                    long[] shape = CalibrationSources.sampleShape(fp32.singleInput().name(), fp32.singleInput().shape(),
                            fp32.metadata(), s.preprocessor().config().inputSize());
                    calib = CalibrationSources.open(o.calibData(), shape, fp32.metadata(), o.calibSamples(), 0);
                    calibNote = calib.describe() + ", " + o.method().id();
                }
            }
            List<Scorer.Model> models = new ArrayList<>();
            for (Precision p : wanted) {
                Backend b = switch (p) {
                    case FP32 -> fp32;
                    case FP16 -> openGraph(Fp16Lowering.lower(graph).model(), tmp, "fp16", o, open);
                    case INT8 -> openGraph(quantize(graph, calib, o, progress), tmp, "int8", o, open);
                };
                models.add(new Scorer.Model(p.label(), b));
            }
            ValidationReport r = Scorer.score(models, scored, s.preprocessor(), new Scorer.Options(o.batch(),
                    o.workers()), progress);
            return calibNote == null ? r : r.withHeldOut(calibNote);
        } finally {
            for (Backend b : open) {
                b.close();
            }
            TemporaryFiles.delete(tmp);
        }
    }

    /** The labelled images (limited) and the model's transform. */
    private record Setup(LabelledImages images, ImagePreprocessor preprocessor) {
    }

    private static Setup setup(Backend b, Data data, Options o) throws IOException {
        TensorSpec in = b.singleInput();
        TensorSpec out = b.outputs().get(0);
        if (out.shape().length != 2 || out.shape()[1] < 1) {
            throw new IllegalArgumentException(b.modelPath() + ": the first output '" + out.name() + "' has shape "
                    + java.util.Arrays.toString(out.shape()) + "; validation needs a classifier ([N, classes])");
        }
        ImagePreprocessor pre = ImagePreprocessor.forModel(b.metadata(), in, o.inputSize());
        int classes = (int) out.shape()[1];
        // folder names may be the class names the graph declares (vitrt.class_names), unless the caller gives others
        Data d = data.classNames() != null ? data
                : new Data(data.folder(), data.labelsCsv(), ClassNames.forModel(b.metadata(), classes).orElse(null));
        LabelledImages images = d.open(classes).limit(o.limit());
        return new Setup(images, pre);
    }

    /** A graph or plan scored as it is, alone. */
    private static ValidationReport runAsGiven(Path model, Precision label, Data data, Options o, Progress progress)
            throws IOException, BackendException {
        try (Backend b = Backends.open(model, o.backend(), o.backendOptions())) {
            Setup s = setup(b, data, o);
            return Scorer.score(List.of(new Scorer.Model(label.label(), b)), s.images(), s.preprocessor(),
                    new Scorer.Options(o.batch(), o.workers()), progress);
        }
    }

    /** FP32, or what a graph already is: INT8 when it holds Q/DQ nodes, FP16 when VitRT lowered it. */
    static Precision precisionOf(ModelProto graph) {
        if (TensorRtQdq.hasQdq(graph)) {
            return Precision.INT8;
        }
        boolean fp16 = OnnxModels.metadata(graph).precision().filter("fp16"::equals).isPresent();
        return fp16 ? Precision.FP16 : Precision.FP32;
    }

    /** A plan holds one precision; asking for others is an error. */
    private static Precision planPrecision(Path plan, Options o) {
        if (o.precisions().size() > 1) {
            throw new IllegalArgumentException(plan + " is a TensorRT plan of one precision; give the .onnx graph to"
                    + " compare precisions");
        }
        return o.precisions().isEmpty() ? Precision.FP32 : o.precisions().get(0);
    }

    private static ModelProto quantize(ModelProto fp32, CalibrationData calib, Options o, Progress progress)
            throws IOException, BackendException {
        int samples = Math.min(o.calibSamples(), calib.size());
        return Calibration.quantize(fp32, calib, samples, Math.min(o.batch(), 8), o.method(), o.percentile(),
                QdqOptions.defaults(), o.backendOptions(), progress).model();
    }

    private static Backend openGraph(ModelProto m, Path dir, String name, Options o, List<Backend> open)
            throws IOException, BackendException {
        Path file = dir.resolve(name + ".onnx");
        Files.write(file, m.toByteArray());
        Backend b = Backends.open(file, o.backend(), o.backendOptions());
        open.add(b);
        return b;
    }

    private static Path sourceFolder(Data d) {
        if (d.folder() != null) {
            return d.folder();
        }
        Path parent = d.labelsCsv().toAbsolutePath().getParent();
        return parent != null ? parent : d.labelsCsv();
    }
}
