package dev.vitrt.tensorrt;

import dev.vitrt.tensorrt.nat.NativeTensorRt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.Pointer;

/**
 * TensorRT objects made by TensorRT's factories, owned here and destroyed through their virtual destructor (JavaCPP's
 * {@code close()} frees nothing for them), in dependency order: whatever was made from another object goes before it
 * ({@link Kind}'s order), and within a kind the newest goes first.
 *
 * <p>Not thread-safe: its owner serializes access (the backend's lock, or a build's single thread).
 */
public final class TrtObjects implements AutoCloseable {

    /**
     * What an object is; the declaration order is the destruction order (TensorRT's rule: an object goes before the
     * object it was created from, and the logger outlives them all).
     */
    public enum Kind {
        /** {@code IEngineInspector}: made by an engine, inspects a context. */
        ENGINE_INSPECTOR,
        /** {@code IExecutionContext}: made by an engine. */
        EXECUTION_CONTEXT,
        /** {@code ICudaEngine}: made by a runtime. */
        ENGINE,
        /** {@code IRuntime}. */
        RUNTIME,
        /** {@code IHostMemory}: a serialized plan or timing cache; independent once made. */
        HOST_MEMORY,
        /** {@code nvonnxparser::IParser}: fills a network. */
        PARSER,
        /** {@code INetworkDefinition}: made by a builder. */
        NETWORK,
        /** {@code IBuilderConfig}: made by a builder. */
        BUILDER_CONFIG,
        /** {@code ITimingCache}: made by a builder config, which refers to it. */
        TIMING_CACHE,
        /** {@code IBuilder}. */
        BUILDER;

        /** Whether TensorRT's declaration derives it from {@code nvinfer1::INoCopy} (all but the ONNX parser). */
        boolean derivesFromNoCopy() {
            return this != PARSER;
        }
    }

    /** Runs an object's virtual destructor; the native one, or a recording one in tests. */
    @FunctionalInterface
    public interface Destroyer {
        void destroy(Kind kind, Pointer object);

        /** Through {@link NativeTensorRt}. */
        Destroyer NATIVE = (kind, object) -> {
            if (kind.derivesFromNoCopy()) {
                NativeTensorRt.destroyNoCopy(object);
            } else {
                NativeTensorRt.destroyParser(object);
            }
        };
    }

    private record Owned(Kind kind, Pointer object, long order) {
    }

    private final Destroyer destroyer;
    private final List<Owned> owned = new ArrayList<>();
    private long made;
    private boolean closed;

    /** Objects destroyed by the native helper. */
    public TrtObjects() {
        this(Destroyer.NATIVE);
    }

    /** Objects destroyed by {@code destroyer}. */
    public TrtObjects(Destroyer destroyer) {
        this.destroyer = destroyer;
    }

    /**
     * Takes ownership of what a TensorRT factory returned.
     *
     * @param what names the object in the message when the factory failed
     * @param why  the reason to give when it failed (TensorRT's last error)
     * @return {@code object}
     * @throws TensorRtException when the factory returned null (nothing is owned then)
     */
    public <T extends Pointer> T own(Kind kind, T object, String what, String why) throws TensorRtException {
        if (closed) {
            throw new IllegalStateException("TensorRT objects already destroyed");
        }
        if (object == null || object.isNull() || Long.compareUnsigned(object.address(), 1 << 16) < 0) {
            // null, or what TensorRT returns when CUDA fails: a small offset from null that is no object
            throw new TensorRtException("TensorRT could not create " + what + ": " + why);
        }
        owned.add(new Owned(kind, object, made++));
        return object;
    }

    /** Destroys one owned object now (an execution context whose caller is done with it). */
    public void destroy(Pointer object) {
        for (int i = owned.size() - 1; i >= 0; i--) {
            Owned o = owned.get(i);
            if (o.object() == object) {
                owned.remove(i);
                destroyOne(o);
                return;
            }
        }
        throw new IllegalArgumentException("not owned here: " + object);
    }

    /** Number of objects still owned. */
    public int size() {
        return owned.size();
    }

    /** Destroys everything still owned, in dependency order; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Owned> order = new ArrayList<>(owned);
        owned.clear();
        order.sort(Comparator.comparing(Owned::kind).thenComparing(Comparator.comparingLong(Owned::order).reversed()));
        for (Owned o : order) {
            destroyOne(o);
        }
    }

    private void destroyOne(Owned o) {
        destroyer.destroy(o.kind(), o.object());
        o.object().setNull(); // a stale Java handle now reads as null instead of freed memory
    }
}
