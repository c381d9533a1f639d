package dev.vitrt.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The process-wide TensorRT logger: each operation sees only its own thread's errors, operations nest, and messages
 * map to {@link System.Logger} levels. The messages are dispatched the way the native callback dispatches them.
 */
class TrtLogTest {
    @Test
    void anOperationCollectsItsThreadsErrors() throws Exception {
        List<String> heard = new ArrayList<>();
        try (TrtLog.Operation op = TrtLog.begin((sev, msg) -> heard.add(sev + ": " + msg))) {
            TrtLog.dispatch(3, "Loaded engine size: 12 MiB");
            TrtLog.dispatch(1, "  IRuntime::deserializeCudaEngine: Error Code 1: Serialization failed \n");
            Thread other = new Thread(() -> TrtLog.dispatch(1, "another thread's error"));
            other.start();
            other.join();
            TrtLog.dispatch(0, "internal error");
            assertEquals(List.of("IRuntime::deserializeCudaEngine: Error Code 1: Serialization failed",
                    "internal error"), op.errors());
            assertEquals("internal error", op.lastError());
            assertEquals(List.of("info: Loaded engine size: 12 MiB",
                    "error: IRuntime::deserializeCudaEngine: Error Code 1: Serialization failed",
                    "error: internal error"), heard);
        }
        try (TrtLog.Operation op = TrtLog.begin(null)) {
            assertNull(op.lastError(), "a new operation starts clean");
            assertEquals("no error reported", op.lastErrorOrNone());
        }
    }

    @Test
    void operationsNest() {
        try (TrtLog.Operation outer = TrtLog.begin(null)) {
            try (TrtLog.Operation inner = TrtLog.begin(null)) {
                TrtLog.dispatch(1, "inner");
                assertEquals(List.of("inner"), inner.errors());
            }
            TrtLog.dispatch(1, "outer");
            assertEquals(List.of("inner", "outer"), outer.errors());
        }
    }

    /**
     * Where TensorRT's natives load (also without a GPU, e.g. with an empty libcuda.so.1), TensorRT itself reports
     * through the one process logger: two runtimes created in turn both report CUDA's failure to it, and the invalid
     * pointer createInferRuntime returns then is refused.
     */
    @Test
    void tensorRtReportsThroughTheOneProcessLogger() {
        assumeTrue(TensorRtAvailability.check().tensorRtVersion() != null,
                "TensorRT's natives did not load: " + TensorRtAvailability.check().reason());
        assumeTrue(TensorRtAvailability.check().gpus().isEmpty(), "a GPU is here: creating a runtime would succeed");
        assertSame(TrtLog.logger(), TrtLog.logger());
        for (int i = 0; i < 2; i++) {
            try (TrtLog.Operation op = TrtLog.begin(null)) {
                org.bytedeco.tensorrt.nvinfer.IRuntime r =
                        org.bytedeco.tensorrt.global.nvinfer.createInferRuntime(TrtLog.logger());
                assertTrue(op.errors().stream().anyMatch(e -> e.contains("CUDA initialization failure")),
                        op.errors().toString());
                TensorRtException e = assertThrows(TensorRtException.class,
                        () -> TensorRtBackend.checkCreated(r, "a runtime", op));
                assertTrue(e.getMessage().startsWith("TensorRT could not create a runtime: "), e.getMessage());
            }
        }
    }

    @Test
    void severitiesMapToLoggerLevels() {
        assertSame(Level.ERROR, TrtLog.level(0));
        assertSame(Level.ERROR, TrtLog.level(1));
        assertSame(Level.WARNING, TrtLog.level(2));
        assertSame(Level.DEBUG, TrtLog.level(3));
        assertSame(Level.TRACE, TrtLog.level(4));
    }
}
