package dev.vitrt.tensorrt;

import dev.vitrt.runtime.BackendException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The runs and the close of one TensorRT backend: runs go concurrently, each on its own thread with the backend's GPU
 * made current first (CUDA's current device is per thread, and a pooled execution context may have been made on
 * another thread); close waits for the runs in flight, and no run starts after it.
 */
final class RunGate {
    /** Makes a GPU current on the calling thread ({@code cudaSetDevice}). */
    interface DeviceSetter {
        void set(int device) throws BackendException;
    }

    /** Work done while the backend is open. */
    interface Task<T> {
        T run() throws BackendException;
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final int device;
    private final DeviceSetter setter;
    private final String what;
    private boolean closed; // written under the write lock

    /**
     * @param device the backend's GPU ordinal
     * @param setter how to make it current
     * @param what   the backend, for the message of a run after close
     */
    RunGate(int device, DeviceSetter setter, String what) {
        this.device = device;
        this.setter = setter;
        this.what = what;
    }

    /** Runs {@code task} on the backend's GPU, excluding {@link #close}; refused once closed. */
    <T> T run(Task<T> task) throws BackendException {
        Lock r = lock.readLock();
        r.lock();
        try {
            if (closed) {
                throw new BackendException(what + " is closed");
            }
            setter.set(device);
            return task.run();
        } finally {
            r.unlock();
        }
    }

    /**
     * Releases something of one run (a profiling context), excluding {@link #close}; skipped once closed, since close
     * released it already. The device is made current first; {@code release} runs even when that fails.
     *
     * @return whether {@code release} ran
     */
    boolean releaseUnlessClosed(Runnable release) {
        Lock r = lock.readLock();
        r.lock();
        try {
            if (closed) {
                return false;
            }
            releaseOnDevice(release);
            return true;
        } finally {
            r.unlock();
        }
    }

    /** Waits for the runs in flight, then runs {@code release} once, on the backend's GPU; idempotent. */
    void close(Runnable release) {
        Lock w = lock.writeLock();
        w.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            releaseOnDevice(release);
        } finally {
            w.unlock();
        }
    }

    /** Runs {@code release} with the device made current, or without where that fails: nothing must leak. */
    private void releaseOnDevice(Runnable release) {
        try {
            setter.set(device);
        } catch (BackendException e) {
            // release all the same: TensorRT's destructors and the host-side bookkeeping need no current device
        }
        release.run();
    }

    /** Whether a thread waits for the gate (a close waiting for runs in flight, or runs for a close). */
    boolean hasWaiters() {
        return lock.hasQueuedThreads();
    }
}
