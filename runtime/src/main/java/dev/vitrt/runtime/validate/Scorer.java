package dev.vitrt.runtime.validate;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.classify.Classification;
import dev.vitrt.runtime.compare.OutputComparison;
import dev.vitrt.runtime.preprocess.ImageBatchLoader;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores classifiers on labelled images: top-1 and top-5 accuracy per model, and for every model after the first, how
 * often its top-1 agrees with the first's and how close its logits are (cosine). The models run in lock-step on the
 * same batches, so each image is decoded once whatever the number of models, and no logits are kept beyond a batch.
 */
public final class Scorer {
    /** A model to score, under a label such as {@code fp16}. */
    public record Model(String label, Backend backend) {
    }

    /**
     * How to score.
     *
     * @param batch   images per model run (a model with a fixed batch size gets batches of exactly that size,
     *                zero-padded at the end)
     * @param workers decoding threads
     */
    public record Options(int batch, int workers) {
        public Options {
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be at least 1, got " + batch);
            }
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
        }
    }

    private Scorer() {
    }

    /**
     * Scores {@code models} on {@code data} (progress per batch under the label {@code scoring}, in images); the first
     * model is the reference for agreement and cosine.
     *
     * @throws IllegalArgumentException if a model's first output is not {@code [N, classes]}
     * @throws BackendException         if a model fails to run
     */
    public static ValidationReport score(List<Model> models, LabelledImages data, ImagePreprocessor preprocessor,
                                         Options options, Progress progress) throws IOException, BackendException {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no models to score");
        }
        List<Meter> meters = new ArrayList<>();
        for (Model m : models) {
            meters.add(new Meter(m));
        }
        List<ValidationReport.Unreadable> unreadable = new ArrayList<>();
        long t0 = System.nanoTime();
        double workerSeconds;
        double waitSeconds;
        int done = 0;
        progress.update("scoring", 0, data.size());
        try (ImageBatchLoader loader = new ImageBatchLoader(data.files(), preprocessor, options.batch(),
                options.workers())) {
            while (loader.hasNext()) {
                ImageBatchLoader.Batch b = loader.next();
                for (ImageBatchLoader.Failure f : b.failures()) {
                    unreadable.add(new ValidationReport.Unreadable(f.file().toString(), f.message()));
                }
                if (b.tensor() != null) {
                    int[] labels = Arrays.stream(b.indices()).map(i -> data.items().get(i).label()).toArray();
                    FloatTensor reference = null;
                    for (Meter m : meters) {
                        FloatTensor logits = m.run(b.tensor());
                        m.add(logits, labels, reference);
                        if (reference == null) {
                            reference = logits;
                        }
                    }
                }
                done += b.size() + b.failures().size();
                progress.update("scoring", done, data.size());
            }
            workerSeconds = loader.workerSeconds();
            waitSeconds = loader.waitSeconds();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int scored = data.size() - unreadable.size();
        List<ValidationReport.Row> rows = meters.stream().map(Meter::row).toList();
        ValidationReport.Throughput tp = new ValidationReport.Throughput(seconds, scored / seconds,
                workerSeconds > 0 ? data.size() * options.workers() / workerSeconds : Double.NaN,
                seconds > 0 ? waitSeconds / seconds : 0);
        return new ValidationReport(modelName(models.get(0).backend()), data.source(), preprocessor.toString(),
                data.size(), unreadable, data.otherFiles(), null, options.batch(), options.workers(), rows, tp);
    }

    /** The model's name in its metadata, else its file name. */
    static String modelName(Backend b) {
        Path p = b.modelPath().getFileName();
        return ModelMetadata.of(b.metadata()).modelName(p == null ? b.modelPath().toString() : p.toString());
    }

    /** Running counts for one model. */
    private static final class Meter {
        private final Model model;
        private final TensorSpec input;
        private final int fixedBatch;
        private boolean hasReference;
        private int images;
        private int top1;
        private int top5;
        private int agree;
        private double cosineSum;
        private long runNanos;

        Meter(Model model) {
            this.model = model;
            this.input = model.backend().singleInput();
            long n = input.shape().length > 0 ? input.shape()[0] : -1;
            this.fixedBatch = n > 0 ? (int) n : 0;
        }

        /** The model's first output for this batch; a fixed-batch model runs in zero-padded chunks of its size. */
        FloatTensor run(FloatTensor x) throws BackendException {
            int n = (int) x.dim(0);
            long t0 = System.nanoTime();
            FloatTensor out;
            if (fixedBatch == 0 || fixedBatch == n) {
                out = model.backend().run(x);
            } else {
                int per = x.data().length / n;
                List<FloatTensor> parts = new ArrayList<>();
                for (int from = 0; from < n; from += fixedBatch) {
                    int count = Math.min(fixedBatch, n - from);
                    float[] chunk = new float[fixedBatch * per];
                    System.arraycopy(x.data(), from * per, chunk, 0, count * per);
                    long[] shape = x.shape().clone();
                    shape[0] = fixedBatch;
                    FloatTensor y = model.backend().run(new FloatTensor(shape, chunk));
                    checkLogits(y, fixedBatch);
                    parts.add(rows(y, 0, count));
                }
                out = concat(parts);
            }
            runNanos += System.nanoTime() - t0;
            checkLogits(out, n);
            return out;
        }

        private void checkLogits(FloatTensor out, int n) {
            if (out.rank() != 2 || out.dim(0) != n) {
                throw new IllegalArgumentException(model.backend().modelPath() + ": the first output is "
                        + FloatTensor.shapeString(out.shape()) + " for " + n + " images, not [N, classes]: scoring"
                        + " needs a classifier's logits");
            }
        }

        void add(FloatTensor logits, int[] labels, FloatTensor reference) {
            int c = (int) logits.dim(1);
            for (int r = 0; r < labels.length; r++) {
                List<Classification> best = Classification.topK(logits.data(), r * c, c, 5, null);
                if (best.get(0).index() == labels[r]) {
                    top1++;
                }
                for (Classification k : best) {
                    if (k.index() == labels[r]) {
                        top5++;
                        break;
                    }
                }
                if (reference != null) {
                    OutputComparison cmp = OutputComparison.of(rows(reference, r, 1), rows(logits, r, 1));
                    cosineSum += cmp.cosine();
                    agree += cmp.top1Agreement() == 1.0 ? 1 : 0;
                }
            }
            hasReference |= reference != null;
            images += labels.length;
        }

        ValidationReport.Row row() {
            double pct = images == 0 ? Double.NaN : 100.0 / images;
            return new ValidationReport.Row(model.label(), model.backend().name(), model.backend().device(), images,
                    top1 * pct, top5 * pct, hasReference ? agree * pct : Double.NaN,
                    hasReference ? cosineSum / images : Double.NaN,
                    runNanos > 0 ? images / (runNanos / 1e9) : Double.NaN);
        }
    }

    /** Rows {@code [from, from + count)} of an [N, C] tensor. */
    private static FloatTensor rows(FloatTensor t, int from, int count) {
        int c = (int) t.dim(1);
        return new FloatTensor(new long[] {count, c}, Arrays.copyOfRange(t.data(), from * c, (from + count) * c));
    }

    private static FloatTensor concat(List<FloatTensor> parts) {
        int c = (int) parts.get(0).dim(1);
        int n = parts.stream().mapToInt(p -> (int) p.dim(0)).sum();
        float[] data = new float[n * c];
        int at = 0;
        for (FloatTensor p : parts) {
            System.arraycopy(p.data(), 0, data, at, p.data().length);
            at += p.data().length;
        }
        return new FloatTensor(new long[] {n, c}, data);
    }
}
