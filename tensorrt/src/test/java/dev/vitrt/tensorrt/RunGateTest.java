package dev.vitrt.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.BackendException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A TensorRT backend's runs and close, without a GPU: every run makes the backend's device current on its own thread
 * (a pooled context may come from another thread), and close waits for runs in flight, then refuses new ones.
 */
class RunGateTest {
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private RunGate gate(int device) {
        return new RunGate(device, d -> events.add(Thread.currentThread().getName() + " device " + d), "backend x");
    }

    @Test
    void everyRunSetsTheDeviceOnItsOwnThread() throws Exception {
        RunGate g = gate(1);
        String me = Thread.currentThread().getName();
        g.run(() -> events.add(me + " run"));
        g.run(() -> events.add(me + " run"));
        ExecutorService pool = Executors.newFixedThreadPool(1, r -> new Thread(r, "worker"));
        try {
            pool.submit(() -> g.run(() -> events.add("worker run"))).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(me + " device 1", me + " run", me + " device 1", me + " run", "worker device 1",
                "worker run"), events);
    }

    @Test
    void closeWaitsForARunInFlightAndRefusesLaterRuns() throws Exception {
        RunGate g = gate(0);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> run = pool.submit(() -> g.run(() -> {
                running.countDown();
                await(finish);
                events.add("run done");
                return null;
            }));
            assertTrue(running.await(30, TimeUnit.SECONDS));
            Future<?> close = pool.submit(() -> g.close(() -> events.add("buffers freed")));
            while (!g.hasWaiters()) { // the close is parked behind the run
                assertFalse(close.isDone(), "close did not wait for the run in flight");
                Thread.onSpinWait();
            }
            assertFalse(events.contains("buffers freed"));
            finish.countDown();
            run.get(30, TimeUnit.SECONDS);
            close.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("pool-1-thread-1 device 0", "run done", "pool-1-thread-2 device 0", "buffers freed"),
                events.stream().map(e -> e.replaceAll("pool-\\d+-", "pool-1-")).toList());

        BackendException e = assertThrows(BackendException.class, () -> g.run(() -> events.add("late run")));
        assertEquals("backend x is closed", e.getMessage());
        g.close(() -> events.add("freed twice"));
        assertFalse(g.releaseUnlessClosed(() -> events.add("profiling context released after close")));
        assertEquals(4, events.size(), events.toString());
    }

    private static void await(CountDownLatch latch) throws BackendException {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new BackendException("interrupted", e);
        }
    }

    @Test
    void aReleaseRunsEvenWhenTheDeviceCannotBeSet() {
        RunGate g = new RunGate(3, d -> {
            throw new BackendException("CUDA error in cudaSetDevice(3): cudaErrorNoDevice");
        }, "backend y");
        assertTrue(g.releaseUnlessClosed(() -> events.add("released")));
        assertThrows(BackendException.class, () -> g.run(() -> events.add("ran")));
        g.close(() -> events.add("closed"));
        assertEquals(List.of("released", "closed"), events);
    }
}
