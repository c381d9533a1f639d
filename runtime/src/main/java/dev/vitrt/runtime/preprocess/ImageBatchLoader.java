package dev.vitrt.runtime.preprocess;

import dev.vitrt.runtime.FloatTensor;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decodes and preprocesses image files on worker threads and hands them out in file order as NCHW batches, the way a
 * PyTorch DataLoader with workers feeds timm's validate.py: while the model runs one batch, the workers decode the next
 * ones, so a large folder is limited by the model rather than by JPEG decoding. A file that cannot be decoded is left
 * out of its batch and reported with it (a batch can therefore be smaller than the batch size).
 *
 * <p>Not thread-safe: one consumer calls {@link #next()}. {@link #close()} stops the workers.
 */
public final class ImageBatchLoader implements AutoCloseable {
    /** A file that could not be read or decoded, with the reason in one line. */
    public record Failure(int index, Path file, String message) {
    }

    /**
     * Consecutive files, preprocessed.
     *
     * @param indices  positions in the loader's file list of the samples in {@code tensor}, in order
     * @param tensor   {@code [indices.length, 3, size, size]}, or null when every file of the batch failed
     * @param failures the files of this batch that could not be decoded
     */
    public record Batch(int[] indices, FloatTensor tensor, List<Failure> failures) {
        /** Number of samples in the tensor. */
        public int size() {
            return indices.length;
        }
    }

    private final List<Path> files;
    private final ImagePreprocessor preprocessor;
    private final int batchSize;
    private final int window;
    private final ExecutorService pool;
    private final ArrayDeque<Future<float[]>> inFlight = new ArrayDeque<>();
    private final AtomicLong workerNanos = new AtomicLong();
    private long waitNanos;
    private int submitted;
    private int consumed;

    /**
     * Starts decoding.
     *
     * @param batchSize files per batch (at least 1)
     * @param workers   decoding threads (at least 1); files are decoded up to a few batches ahead of the consumer
     */
    public ImageBatchLoader(List<Path> files, ImagePreprocessor preprocessor, int batchSize, int workers) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.files = List.copyOf(files);
        this.preprocessor = preprocessor;
        this.batchSize = batchSize;
        // enough ahead that every worker stays busy while the consumer runs a batch, bounded in memory
        this.window = Math.max(2 * batchSize, 4 * workers);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "vitrt-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    /** Whether batches remain. */
    public boolean hasNext() {
        return consumed < files.size();
    }

    /**
     * The next batch, waiting for its files to be decoded.
     *
     * @throws InterruptedIOException if the calling thread is interrupted while waiting
     */
    public Batch next() throws InterruptedIOException {
        if (!hasNext()) {
            throw new NoSuchElementException("no more images");
        }
        int count = Math.min(batchSize, files.size() - consumed);
        List<float[]> samples = new ArrayList<>(count);
        List<Integer> indices = new ArrayList<>(count);
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = consumed;
            Future<float[]> f = inFlight.removeFirst();
            consumed++;
            fill();
            long t0 = System.nanoTime();
            try {
                samples.add(f.get());
                indices.add(index);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for decoded images");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error err) {
                    throw err;
                }
                failures.add(new Failure(index, files.get(index), reason(files.get(index), cause)));
            } finally {
                waitNanos += System.nanoTime() - t0;
            }
        }
        FloatTensor tensor = null;
        if (!samples.isEmpty()) {
            int per = samples.get(0).length;
            float[] data = new float[samples.size() * per];
            for (int i = 0; i < samples.size(); i++) {
                System.arraycopy(samples.get(i), 0, data, i * per, per);
            }
            int s = preprocessor.config().inputSize();
            tensor = new FloatTensor(new long[] {samples.size(), 3, s, s}, data);
        }
        return new Batch(indices.stream().mapToInt(Integer::intValue).toArray(), tensor, failures);
    }

    /** Seconds the workers spent decoding and preprocessing, summed over workers. */
    public double workerSeconds() {
        return workerNanos.get() / 1e9;
    }

    /** Seconds {@link #next()} spent waiting for workers: near zero when decoding keeps up with the consumer. */
    public double waitSeconds() {
        return waitNanos / 1e9;
    }

    /** Stops the workers; batches not yet taken are dropped. */
    @Override
    public void close() {
        pool.shutdownNow();
        inFlight.clear();
    }

    private void fill() {
        while (submitted < files.size() && submitted - consumed < window) {
            Path file = files.get(submitted++);
            inFlight.addLast(pool.submit(() -> {
                long t0 = System.nanoTime();
                try {
                    return preprocessor.sample(RgbImage.read(file));
                } finally {
                    workerNanos.addAndGet(System.nanoTime() - t0);
                }
            }));
        }
    }

    /** The first line of the failure's message, without the file name the reader put in front of it. */
    private static String reason(Path file, Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        m = m.lines().findFirst().orElse(m);
        String prefix = file + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
