package dev.vitrt.examples.service;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.classify.ClassNames;
import dev.vitrt.runtime.classify.Classification;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import dev.vitrt.runtime.session.InferenceSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One served model, opened through the runtime's public API: a backend, an {@link InferenceSession} (with the
 * runtime's dynamic batcher, or without it and at most {@code workers} runs at once, like Triton instances), and the
 * model's image preprocessing (timm's eval transform from the graph's metadata).
 */
final class ServedModel implements AutoCloseable {
    final String name;
    final Path file;
    private final InferenceSession session;
    private final ImagePreprocessor preprocessor;
    private final ClassNames labels;
    private final long[] itemShape;
    private final Semaphore slots;
    private final int maxQueue;
    private final String batchingNote;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong images = new AtomicLong();
    private final AtomicLong unbatchedRuns = new AtomicLong();

    private ServedModel(String name, Path file, InferenceSession session, ImagePreprocessor preprocessor,
                        ClassNames labels, long[] itemShape, Semaphore slots, int maxQueue, String batchingNote) {
        this.name = name;
        this.file = file;
        this.session = session;
        this.preprocessor = preprocessor;
        this.labels = labels;
        this.itemShape = itemShape;
        this.slots = slots;
        this.maxQueue = maxQueue;
        this.batchingNote = batchingNote;
    }

    /**
     * Opens {@code file} as {@code name} with the service's batching settings and class names ({@code labels}, else
     * the graph's own, else ImageNet-1k's for a 1000-class output).
     */
    static ServedModel open(String name, Path file, ServiceOptions o) throws BackendException, IOException {
        ClassNames given = o.labels().containsKey(name) ? ClassNames.read(o.labels().get(name)) : null;
        // an engine TensorRT builds from an .onnx file covers the batches the batcher forms (a plan keeps its own)
        BackendOptions bo = BackendOptions.defaults().withIntraOpThreads(o.intraOpThreads())
                .withBatch(new BatchRange(1, o.batching() ? o.maxBatch() : 1, o.batching() ? o.maxBatch() : 1));
        Backend backend = Backends.open(file, BackendKind.parse(o.backend()), bo);
        try {
            TensorSpec in = backend.singleInput();
            long[] shape = in.shape();
            if (shape.length < 2) {
                throw new IllegalArgumentException(file + ": input '" + in.name() + "' has shape "
                        + FloatTensor.shapeString(shape) + "; expected a batch dimension and an item shape");
            }
            long[] item = Arrays.copyOfRange(shape, 1, shape.length);
            boolean dynamicBatch = shape[0] < 0;
            InferenceSession session;
            Semaphore slots = null;
            String note;
            if (o.batching() && dynamicBatch) {
                session = InferenceSession.open(backend, new InferenceSession.Batching(o.maxBatch(), o.maxWait(),
                        o.workers(), o.limits().maxQueue()));
                note = "dynamic batching: max batch " + o.maxBatch() + ", max wait " + o.maxWait().toNanos() / 1000
                        + " us, " + o.workers() + " worker(s)";
            } else {
                session = InferenceSession.open(backend);
                slots = new Semaphore(o.workers(), true);
                note = (o.batching() ? "no batching (the model's batch is fixed at " + shape[0] + ")" : "no batching")
                        + ", " + o.workers() + " concurrent run(s)";
            }
            return new ServedModel(name, file, session, preprocessorFor(backend, item), classNames(backend, given), item,
                    slots, o.limits().maxQueue(), note);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private static ClassNames classNames(Backend backend, ClassNames given) {
        long[] out = backend.outputs().get(0).shape();
        long classes = out.length == 2 ? out[1] : -1;
        if (given != null) {
            if (given.size() != classes) {
                throw new IllegalArgumentException("--labels names " + given.size() + " classes but "
                        + backend.modelPath().getFileName() + " has " + classes);
            }
            return given;
        }
        return ClassNames.forModel(backend.metadata(), classes).orElse(null);
    }

    /** timm's eval transform from the metadata, at the input's own fixed side. */
    private static ImagePreprocessor preprocessorFor(Backend backend, long[] item) {
        if (item.length != 3 || item[0] != 3 || item[1] < 1 || item[1] != item[2]) {
            return null; // not a square RGB image model: tensors only
        }
        return ImagePreprocessor.forModel(backend.metadata(), backend.singleInput(), null);
    }

    /** Item shape (input shape without the batch dimension). */
    long[] itemShape() {
        return itemShape.clone();
    }

    /** The image preprocessing, or null when the model does not take square RGB images. */
    ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /**
     * Runs {@code x} ([n, item...]) and returns the top {@code k} classes of each image, named where names are known,
     * answering by {@code deadlineNanos} ({@link System#nanoTime}).
     *
     * @throws RejectedExecutionException when {@code maxQueue} requests wait for this model already
     * @throws TimeoutException           when the deadline passed before the model took the request
     */
    List<List<Classification>> predict(FloatTensor x, int k, long deadlineNanos)
            throws BackendException, InterruptedException, TimeoutException {
        Duration left = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        FloatTensor out;
        if (slots == null) {
            out = session.infer(x, left).values().iterator().next();
        } else {
            if (slots.getQueueLength() >= maxQueue) {
                throw new RejectedExecutionException(slots.getQueueLength() + " requests are waiting for the model"
                        + " already, the most it queues");
            }
            if (!slots.tryAcquire(left.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("no run free within " + left.toMillis() + " ms");
            }
            try {
                out = session.inferFirst(x);
                unbatchedRuns.incrementAndGet();
            } finally {
                slots.release();
            }
        }
        requests.incrementAndGet();
        long n = x.dim(0);
        images.addAndGet(n);
        int per = (int) (out.data().length / n);
        List<List<Classification>> result = new ArrayList<>();
        ClassNames names = labels != null && labels.size() == per ? labels : null;
        for (int i = 0; i < n; i++) {
            result.add(Classification.topK(out.data(), i * per, per, k, names));
        }
        return result;
    }

    /** Numbers for {@code /health}: requests, images, backend runs, mean images per run. */
    java.util.Map<String, Object> stats() {
        long runs = slots == null ? session.batchesRun() : unbatchedRuns.get();
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("file", file.getFileName().toString());
        m.put("backend", session.backend().name() + " on " + session.backend().device());
        m.put("input", session.backend().singleInput().toString());
        m.put("batching", batchingNote);
        m.put("queued", slots == null ? session.queued() : slots.getQueueLength());
        m.put("requests", requests.get());
        m.put("images", images.get());
        m.put("runs", runs);
        m.put("mean_batch", runs == 0 ? 0.0 : Math.round(100.0 * images.get() / runs) / 100.0);
        return m;
    }

    /** Closes the session (its batcher, then the backend). */
    @Override
    public void close() {
        session.close();
    }
}
