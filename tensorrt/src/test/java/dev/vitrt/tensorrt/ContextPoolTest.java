package dev.vitrt.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.BackendException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bounded context pool of the TensorRT backend, with plain objects for contexts (no GPU). */
class ContextPoolTest {
    private final AtomicInteger made = new AtomicInteger();

    private Object make() {
        made.incrementAndGet();
        return new Object();
    }

    @Test
    void neverMoreThanMaxContextsUnderManyThreads() throws Exception {
        ContextPool<Object> pool = new ContextPool<>(3, "backend");
        AtomicInteger inUse = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                runs.add(threads.submit(() -> {
                    Object c = pool.take(this::make);
                    try {
                        peak.accumulateAndGet(inUse.incrementAndGet(), Math::max);
                        Thread.sleep(1);
                    } finally {
                        inUse.decrementAndGet();
                        pool.give(c);
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(peak.get() <= 3, "at most 3 contexts in use at once, saw " + peak.get());
        assertEquals(3, made.get(), "16 threads share 3 contexts");
        assertEquals(3, pool.size());
    }

    @Test
    void idleContextsAreReusedBeforeNewOnesAreMade() throws Exception {
        ContextPool<Object> pool = new ContextPool<>(4, "backend");
        Object a = pool.take(this::make);
        pool.give(a);
        assertSame(a, pool.take(this::make));
        Object b = pool.take(this::make);
        assertEquals(2, made.get());
        pool.give(b);
        pool.give(b); // a second give of the same context changes nothing
        assertSame(b, pool.take(this::make));
        assertEquals(2, pool.size());
    }

    @Test
    void aFailedCreateTakesNoSlot() throws Exception {
        ContextPool<Object> pool = new ContextPool<>(1, "backend");
        assertThrows(BackendException.class, () -> pool.take(() -> {
            throw new BackendException("out of GPU memory");
        }));
        assertEquals(0, pool.size());
        pool.take(this::make); // the one slot is still free
    }

    @Test
    void closeWakesWaitersAndRefusesLaterCallers() throws Exception {
        ContextPool<Object> pool = new ContextPool<>(1, "TensorRT backend for m.plan");
        Object held = pool.take(this::make);
        CountDownLatch waiting = new CountDownLatch(1);
        ExecutorService t = Executors.newSingleThreadExecutor();
        try {
            Future<Object> waiter = t.submit(() -> {
                waiting.countDown();
                return pool.take(this::make);
            });
            waiting.await();
            Thread.sleep(50); // let it wait for the held context
            assertEquals(List.of(held), pool.close(), "close hands every context over for freeing");
            Exception e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> waiter.get(10, TimeUnit.SECONDS));
            assertEquals("TensorRT backend for m.plan is closed", e.getCause().getMessage());
        } finally {
            t.shutdownNow();
        }
        pool.give(held); // a run that ends after close: ignored, close freed it
        assertEquals(0, pool.size());
        assertThrows(BackendException.class, () -> pool.take(this::make));
        assertEquals(1, made.get());
    }

    @Test
    void maxMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ContextPool<>(0, "backend"));
    }
}
