package dev.vitrt.models.weights;

import dev.vitrt.runtime.ElementType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A checkpoint's floating-point tensors by key, upcast to float32. Values may be read lazily (from a memory-mapped
 * file) each time {@link Entry#data()} is called, so holding a StateDict does not hold its values in the heap.
 */
public final class StateDict {
    /** One tensor: its shape, and its float32 values in C order. */
    public static final class Entry {
        private final long[] shape;
        private final Supplier<float[]> values;

        Entry(long[] shape, Supplier<float[]> values) {
            this.shape = shape;
            this.values = values;
        }

        public long[] shape() {
            return shape.clone();
        }

        /** The values (a fresh array for lazily read entries; callers may keep or change it). */
        public float[] data() {
            return values.get();
        }
    }

    private final String source;
    private final Map<String, Entry> tensors = new LinkedHashMap<>();
    private final Map<String, ElementType> skipped = new LinkedHashMap<>();

    public StateDict(String source) {
        this.source = source;
    }

    /** Where the checkpoint came from (its file name), for error messages. */
    public String source() {
        return source;
    }

    public void put(String key, long[] shape, float[] data) {
        tensors.put(key, new Entry(shape, () -> data));
    }

    /** A tensor whose values are read when asked for. */
    public void putLazy(String key, long[] shape, Supplier<float[]> values) {
        tensors.put(key, new Entry(shape, values));
    }

    void put(String key, Entry e) {
        tensors.put(key, e);
    }

    /** A tensor of a dtype that is not loaded (integer, boolean, 8-bit float), kept by name for error messages. */
    public void skip(String key, ElementType dtype) {
        skipped.put(key, dtype);
    }

    /** The element type of a tensor that was not loaded, or null. */
    public ElementType skippedDtype(String key) {
        return skipped.get(key);
    }

    public Entry get(String key) {
        return tensors.get(key);
    }

    public Map<String, Entry> entries() {
        return tensors;
    }

    /** The same tensors under other keys ({@code renamed} maps new key to old), from the same source. */
    public StateDict renamed(Map<String, String> renamed) {
        StateDict out = new StateDict(source);
        renamed.forEach((to, from) -> out.put(to, tensors.get(from)));
        return out;
    }
}
