package dev.vitrt.runtime.session;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model session for services: any number of threads may call {@link #infer} at once, each gets its own result.
 *
 * <p>Without batching, each call runs the backend directly (backends are thread-safe). With {@link Batching}, calls
 * are queued and worker threads run them together, the way Triton's dynamic batcher does: a worker takes the oldest
 * request, then keeps collecting requests of the same image shape until the batch holds {@code maxBatch} images or
 * {@code maxWait} has passed since that first request arrived; it concatenates them along dimension 0, runs once, and
 * splits every output back along dimension 0. A request larger than {@code maxBatch} runs alone.
 *
 * <p>The queue is bounded ({@link Batching#maxQueue}): a request that finds it full is refused at once with a
 * {@link RejectedExecutionException}, so that an overloaded service can say so (HTTP 503) instead of letting requests
 * wait without limit; {@link #infer(FloatTensor, Duration)} bounds the wait of one request, and a request given up on
 * while still queued is dropped, never run.
 */
public final class InferenceSession implements AutoCloseable {

    /**
     * Dynamic batching settings.
     *
     * @param maxBatch most images in one run
     * @param maxWait  longest a request waits for others to join its batch
     * @param workers  threads forming and running batches (Triton's model instances)
     * @param maxQueue most requests waiting for a worker; more are refused
     */
    public record Batching(int maxBatch, Duration maxWait, int workers, int maxQueue) {
        /** An unbounded queue. */
        public Batching(int maxBatch, Duration maxWait, int workers) {
            this(maxBatch, maxWait, workers, Integer.MAX_VALUE);
        }

        public Batching {
            if (maxQueue < 1) {
                throw new IllegalArgumentException("max queue must be >= 1, got " + maxQueue);
            }
            if (maxBatch < 1) {
                throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
            }
            if (maxWait.isNegative()) {
                throw new IllegalArgumentException("max wait must be >= 0, got " + maxWait);
            }
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            }
        }
    }

    private record Request(FloatTensor input, long arrivalNs, CompletableFuture<Map<String, FloatTensor>> result) {
    }

    private static final Request POISON = new Request(null, 0, null);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final Backend backend;
    private final boolean ownsBackend;
    private final TensorSpec input;
    private final Batching batching;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger batchesRun = new AtomicInteger();
    private volatile boolean closed;

    private InferenceSession(Backend backend, boolean ownsBackend, Batching batching) {
        this.backend = backend;
        this.ownsBackend = ownsBackend;
        this.input = backend.singleInput();
        this.batching = batching;
        if (batching != null) {
            if (input.shape().length == 0 || input.shape()[0] >= 0) {
                throw new IllegalArgumentException(backend.modelPath() + ": dynamic batching needs a model whose input"
                        + " has a dynamic batch dimension, got " + FloatTensor.shapeString(input.shape()));
            }
            if (batching.maxBatch() > backend.maxBatch()) {
                throw new IllegalArgumentException(backend.modelPath() + ": max batch " + batching.maxBatch()
                        + " exceeds the largest batch the " + backend.name() + " backend takes (" + backend.maxBatch()
                        + ", the end of its engine's optimization profile); build the engine for a larger batch range"
                        + " or lower max batch");
            }
            int id = IDS.incrementAndGet();
            for (int i = 0; i < batching.workers(); i++) {
                Thread t = new Thread(this::workerLoop, "vitrt-batcher-" + id + "-" + i);
                t.setDaemon(true);
                workers.add(t);
                t.start();
            }
        }
    }

    /** A session running each call directly on {@code backend}; closing the session closes the backend. */
    public static InferenceSession open(Backend backend) {
        return new InferenceSession(backend, true, null);
    }

    /** A session with dynamic batching (null: none); closing the session closes the backend. */
    public static InferenceSession open(Backend backend, Batching batching) {
        return new InferenceSession(backend, true, batching);
    }

    /** Like {@link #open(Backend, Batching)} but leaves the backend open on close. */
    public static InferenceSession wrap(Backend backend, Batching batching) {
        return new InferenceSession(backend, false, batching);
    }

    public Backend backend() {
        return backend;
    }

    /** Batches run so far by the dynamic batcher (0 without batching). */
    public int batchesRun() {
        return batchesRun.get();
    }

    /** Requests waiting for a batcher worker now (0 without batching). */
    public int queued() {
        return queue.size();
    }

    /**
     * Runs the model on {@code x} (its dimension 0 is the batch, n >= 1 images) and returns every output for those
     * images. Blocks until done.
     */
    public Map<String, FloatTensor> infer(FloatTensor x) throws BackendException {
        CompletableFuture<Map<String, FloatTensor>> f = submit(x);
        try {
            return unwrap(f::get);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // no timeout given
        }
    }

    /**
     * Like {@link #infer(FloatTensor)}, waiting at most {@code timeout} for a batcher to take and run the request;
     * without batching the run happens in the calling thread and the timeout does not apply.
     *
     * @throws TimeoutException           when the time is up; a request still queued is dropped, never run
     * @throws RejectedExecutionException when the queue is full
     */
    public Map<String, FloatTensor> infer(FloatTensor x, Duration timeout) throws BackendException, TimeoutException {
        if (batching == null) {
            return infer(x);
        }
        Request r = enqueue(x);
        try {
            return unwrap(() -> r.result.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            queue.remove(r);
            r.result.cancel(false); // a worker that took it already skips it or drops the answer
            throw new TimeoutException("no answer within " + timeout.toMillis() + " ms (" + queue.size()
                    + " requests queued)");
        }
    }

    /** The first output of {@link #infer}. */
    public FloatTensor inferFirst(FloatTensor x) throws BackendException {
        return infer(x).values().iterator().next();
    }

    /**
     * Queues {@code x}; the future completes with its outputs (or the failure).
     *
     * @throws RejectedExecutionException when the batcher's queue is full
     */
    public CompletableFuture<Map<String, FloatTensor>> submit(FloatTensor x) {
        if (batching == null) {
            check(x);
            CompletableFuture<Map<String, FloatTensor>> f = new CompletableFuture<>();
            try {
                f.complete(backend.run(Map.of(input.name(), x)));
            } catch (BackendException | RuntimeException e) {
                f.completeExceptionally(e);
            }
            return f;
        }
        return enqueue(x).result;
    }

    private void check(FloatTensor x) {
        if (closed) {
            throw new IllegalStateException("inference session is closed");
        }
        input.checkShape(x.shape());
        if (x.rank() == 0 || x.dim(0) < 1) {
            throw new IllegalArgumentException("input needs a batch dimension with at least one image");
        }
    }

    private Request enqueue(FloatTensor x) {
        check(x);
        if (queue.size() >= batching.maxQueue()) {
            throw new RejectedExecutionException(queue.size() + " requests are queued already, the most this session"
                    + " holds");
        }
        Request r = new Request(x, System.nanoTime(), new CompletableFuture<>());
        queue.add(r);
        if (closed) { // raced with close: make sure it does not hang
            r.result.completeExceptionally(new IllegalStateException("inference session is closed"));
        }
        return r;
    }

    private interface FutureGet {
        Map<String, FloatTensor> get() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private static Map<String, FloatTensor> unwrap(FutureGet get) throws BackendException, TimeoutException {
        try {
            return get.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while waiting for inference", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof BackendException be) {
                throw new BackendException(be.getMessage(), be);
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new BackendException(String.valueOf(c.getMessage()), c);
        }
    }

    private void workerLoop() {
        List<Request> batch = new ArrayList<>();
        List<Request> deferred = new ArrayList<>();
        try {
            while (true) {
                Request first = queue.take();
                if (first == POISON) {
                    return;
                }
                if (first.result.isDone()) {
                    continue; // given up on by its caller while it waited
                }
                batch.clear();
                batch.add(first);
                long images = first.input.dim(0);
                long[] itemShape = itemShape(first.input);
                long deadline = first.arrivalNs + batching.maxWait().toNanos();
                while (images < batching.maxBatch()) {
                    long wait = deadline - System.nanoTime();
                    Request next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (next == POISON) {
                        deferred.add(next);
                        break;
                    }
                    if (next.result.isDone()) {
                        continue;
                    }
                    if (!Arrays.equals(itemShape(next.input), itemShape)
                            || images + next.input.dim(0) > batching.maxBatch()) {
                        deferred.add(next); // another shape, or would overfill: next batch
                        break;
                    }
                    batch.add(next);
                    images += next.input.dim(0);
                }
                runBatch(batch);
                // put back what did not fit, ahead of newer requests' turn as far as a FIFO queue allows
                for (Request d : deferred) {
                    queue.add(d);
                }
                deferred.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long[] itemShape(FloatTensor t) {
        long[] s = t.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    private void runBatch(List<Request> batch) {
        try {
            if (batch.size() == 1) {
                Request r = batch.get(0);
                r.result.complete(backend.run(Map.of(input.name(), r.input)));
                batchesRun.incrementAndGet();
                return;
            }
            long[] item = itemShape(batch.get(0).input);
            long total = 0;
            for (Request r : batch) {
                total += r.input.dim(0);
            }
            int itemSize = (int) FloatTensor.elementCount(item);
            float[] data = new float[Math.toIntExact(total * itemSize)];
            int off = 0;
            for (Request r : batch) {
                float[] d = r.input.data();
                System.arraycopy(d, 0, data, off, d.length);
                off += d.length;
            }
            long[] shape = new long[item.length + 1];
            shape[0] = total;
            System.arraycopy(item, 0, shape, 1, item.length);
            Map<String, FloatTensor> out = backend.run(Map.of(input.name(), new FloatTensor(shape, data)));
            batchesRun.incrementAndGet();
            long start = 0;
            for (Request r : batch) {
                long n = r.input.dim(0);
                Map<String, FloatTensor> mine = new LinkedHashMap<>();
                for (Map.Entry<String, FloatTensor> e : out.entrySet()) {
                    mine.put(e.getKey(), slice(e.getKey(), e.getValue(), start, n, total));
                }
                r.result.complete(mine);
                start += n;
            }
        } catch (Throwable e) {
            for (Request r : batch) {
                r.result.completeExceptionally(e);
            }
        }
    }

    private static FloatTensor slice(String name, FloatTensor t, long start, long n, long total) {
        if (t.rank() == 0 || t.dim(0) != total) {
            throw new IllegalStateException("output '" + name + "' has shape " + FloatTensor.shapeString(t.shape())
                    + "; dynamic batching needs outputs batched along dimension 0");
        }
        long[] s = t.shape();
        int per = (int) (t.data().length / total);
        s[0] = n;
        float[] d = Arrays.copyOfRange(t.data(), (int) (start * per), (int) ((start + n) * per));
        return new FloatTensor(s, d);
    }

    /**
     * Stops the batcher (requests still queued fail with "session closed"; batches running finish) and closes the
     * backend if the session owns it. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < workers.size(); i++) {
            queue.add(POISON);
        }
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Request r; (r = queue.poll()) != null; ) {
            if (r != POISON) {
                r.result.completeExceptionally(new CancellationException("inference session is closed"));
            }
        }
        if (ownsBackend) {
            backend.close();
        }
    }
}
