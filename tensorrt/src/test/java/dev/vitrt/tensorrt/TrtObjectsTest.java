package dev.vitrt.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.tensorrt.TrtObjects.Kind;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** TensorRT's objects are destroyed in dependency order, each once, whatever order they were made in. */
class TrtObjectsTest {
    /** A non-null pointer that is never dereferenced. */
    static final class Fake extends Pointer {
        final String name;

        Fake(String name, long address) {
            this.name = name;
            this.address = address;
        }
    }

    private final List<String> destroyed = new ArrayList<>();
    private final TrtObjects.Destroyer recorder = (kind, p) -> destroyed.add(((Fake) p).name + ":" + kind);

    @Test
    void runtimeSideGoesContextEngineRuntime() throws Exception {
        try (TrtObjects o = new TrtObjects(recorder)) {
            o.own(Kind.RUNTIME, new Fake("runtime", 0x10000), "a runtime", "");
            o.own(Kind.ENGINE, new Fake("engine", 0x20000), "an engine", "");
            o.own(Kind.EXECUTION_CONTEXT, new Fake("ctx1", 0x30000), "a context", "");
            o.own(Kind.EXECUTION_CONTEXT, new Fake("ctx2", 0x40000), "a context", "");
            o.own(Kind.ENGINE_INSPECTOR, new Fake("inspector", 0x50000), "an inspector", "");
        }
        assertEquals(List.of("inspector:ENGINE_INSPECTOR", "ctx2:EXECUTION_CONTEXT", "ctx1:EXECUTION_CONTEXT",
                "engine:ENGINE", "runtime:RUNTIME"), destroyed);
    }

    @Test
    void builderSideGoesParserNetworkConfigBuilder() throws Exception {
        TrtObjects o = new TrtObjects(recorder);
        // made in the order a build makes them
        o.own(Kind.BUILDER, new Fake("builder", 0x10000), "a builder", "");
        o.own(Kind.NETWORK, new Fake("network", 0x20000), "a network", "");
        o.own(Kind.PARSER, new Fake("parser", 0x30000), "a parser", "");
        o.own(Kind.BUILDER_CONFIG, new Fake("config", 0x40000), "a config", "");
        o.own(Kind.TIMING_CACHE, new Fake("cache", 0x50000), "a timing cache", "");
        o.own(Kind.HOST_MEMORY, new Fake("plan", 0x60000), "a plan", "");
        o.close();
        o.close();
        assertEquals(List.of("plan:HOST_MEMORY", "parser:PARSER", "network:NETWORK", "config:BUILDER_CONFIG",
                "cache:TIMING_CACHE", "builder:BUILDER"), destroyed);
        assertTrue(Kind.NETWORK.derivesFromNoCopy() && !Kind.PARSER.derivesFromNoCopy());
    }

    @Test
    void oneDestroyedEarlyIsNotDestroyedAgain() throws Exception {
        Fake ctx = new Fake("ctx", 0x30000);
        try (TrtObjects o = new TrtObjects(recorder)) {
            o.own(Kind.ENGINE, new Fake("engine", 0x20000), "an engine", "");
            o.own(Kind.EXECUTION_CONTEXT, ctx, "a context", "");
            o.destroy(ctx);
            assertTrue(ctx.isNull(), "the Java handle no longer points at freed memory");
            assertEquals(1, o.size());
        }
        assertEquals(List.of("ctx:EXECUTION_CONTEXT", "engine:ENGINE"), destroyed);
    }

    @Test
    void aFailedFactoryIsReportedWithTensorRtsError() {
        try (TrtObjects o = new TrtObjects(recorder)) {
            TensorRtException e = assertThrows(TensorRtException.class,
                    () -> o.own(Kind.RUNTIME, null, "a runtime", "CUDA initialization failure with error: 35"));
            assertEquals("TensorRT could not create a runtime: CUDA initialization failure with error: 35",
                    e.getMessage());
            assertThrows(TensorRtException.class, () -> o.own(Kind.ENGINE, new Fake("null", 0), "an engine", "x"));
            // createInferRuntime's result when CUDA fails (recorded with TensorRT 11.2.1): never owned, never destroyed
            assertThrows(TensorRtException.class, () -> o.own(Kind.RUNTIME, new Fake("bad", 0x228), "a runtime", "x"));
            assertEquals(0, o.size());
        }
        assertEquals(List.of(), destroyed);
    }
}
