package dev.vitrt.examples.service;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The bytes all requests together may hold at once: bodies, decoded images, input tensors. A request takes its share
 * before it allocates (so a flood of large images waits or is refused instead of exhausting the heap) and gives it
 * back when answered. Counted in KiB so that a semaphore's int permits cover many gigabytes.
 */
final class MemoryBudget {
    /** Longest a request waits for its share before it is refused with 503. */
    static final long MAX_WAIT_MS = 2000;

    private final long totalKib;
    private final Semaphore kib;

    MemoryBudget(long bytes) {
        this.totalKib = Math.max(1, bytes >> 10);
        this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, totalKib), true);
    }

    /** The budget in bytes. */
    long bytes() {
        return totalKib << 10;
    }

    /** Bytes held by requests now. */
    long heldBytes() {
        return (totalKib - kib.availablePermits()) << 10;
    }

    /** A request's share, empty at first; closing it gives everything back. */
    Share open() {
        return new Share();
    }

    /** What one request holds. */
    final class Share implements AutoCloseable {
        private long heldKib;

        /**
         * Takes {@code bytes} more, waiting at most {@link #MAX_WAIT_MS} (and never past {@code deadlineNanos}).
         *
         * @param what names the data in the error
         * @throws HttpError 413 when the request alone would need more than the whole budget, 503 when the budget is
         *                   taken by other requests
         */
        void take(long bytes, String what, long deadlineNanos) throws HttpError, InterruptedException {
            long need = (bytes + 1023) >> 10;
            if (need == 0) {
                return;
            }
            if (heldKib + need > totalKib) {
                throw new HttpError(413, what + " needs " + mib(bytes) + " MiB; the service holds at most " + mib(bytes())
                        + " MiB of request data at once");
            }
            long waitMs = Math.min(MAX_WAIT_MS, Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000));
            if (!kib.tryAcquire((int) need, waitMs, TimeUnit.MILLISECONDS)) {
                throw HttpError.busy("the service is holding its limit of " + mib(bytes()) + " MiB of request data;"
                        + " retry shortly");
            }
            heldKib += need;
        }

        /** Gives back {@code bytes} taken before (what was freed early). */
        void give(long bytes) {
            long back = Math.min(heldKib, (bytes + 1023) >> 10);
            heldKib -= back;
            kib.release((int) back);
        }

        @Override
        public void close() {
            kib.release((int) heldKib);
            heldKib = 0;
        }
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
