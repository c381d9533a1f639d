package dev.vitrt.tensorrt;

import dev.vitrt.runtime.BackendException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * At most {@code max} execution contexts of one engine, like Triton's instance count: a caller takes an idle one, or
 * makes one while fewer than {@code max} exist, or waits until another caller gives one back. Each context holds
 * device and pinned host memory sized for the profile's largest batch, so a service with many request threads keeps
 * that memory bounded instead of growing a context per thread. Once {@link #close closed}, waiting and later callers
 * are refused.
 *
 * @param <C> the context type (TensorRT's {@code TrtContext}; plain objects in tests)
 */
final class ContextPool<C> {
    /** Makes a context; a failure leaves the pool as it was. */
    interface Factory<C> {
        C create() throws BackendException;
    }

    private final int max;
    private final String what;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private final Deque<C> idle = new ArrayDeque<>();
    private final List<C> all = new ArrayList<>();
    private boolean closed;

    /**
     * @param max  most contexts at once, at least 1
     * @param what the backend, for the message a caller gets after close
     */
    ContextPool(int max, String what) {
        if (max < 1) {
            throw new IllegalArgumentException("max contexts must be >= 1, got " + max);
        }
        this.max = max;
        this.what = what;
    }

    /** An idle context, else a new one while there are fewer than max, else the next one given back. */
    C take(Factory<C> factory) throws BackendException {
        lock.lock();
        try {
            while (!closed && idle.isEmpty() && all.size() >= max) {
                try {
                    returned.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BackendException("interrupted while waiting for one of the " + max
                            + " execution contexts of " + what, e);
                }
            }
            if (closed) {
                throw new BackendException(what + " is closed");
            }
            C c = idle.pollFirst();
            if (c == null) {
                c = factory.create();
                all.add(c);
            }
            return c;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a context back (ignored after close, which took every context). */
    void give(C c) {
        lock.lock();
        try {
            if (!closed && all.contains(c) && !idle.contains(c)) {
                idle.addFirst(c);
                returned.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Refuses every later and waiting {@link #take} and returns every context made, for the caller to free. */
    List<C> close() {
        lock.lock();
        try {
            closed = true;
            returned.signalAll();
            List<C> out = new ArrayList<>(all);
            all.clear();
            idle.clear();
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Contexts made so far (idle or in use). */
    int size() {
        lock.lock();
        try {
            return all.size();
        } finally {
            lock.unlock();
        }
    }

    int max() {
        return max;
    }
}
