package dev.vitrt.models.weights;

import java.util.LinkedHashMap;
import java.util.Map;

/** A checkpoint's floating-point tensors by timm key, upcast to float32. */
public final class StateDict {
    /** One tensor: shape and float32 values in C order. */
    public record Entry(long[] shape, float[] data) {
    }

    private final String source;
    private final Map<String, Entry> tensors = new LinkedHashMap<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();

    public StateDict(String source) {
        this.source = source;
    }

    /** Where the checkpoint came from (its file name), for error messages. */
    public String source() {
        return source;
    }

    public void put(String key, long[] shape, float[] data) {
        tensors.put(key, new Entry(shape, data));
    }

    /** A tensor of a dtype that is not loaded (integer, boolean, 8-bit float), kept by name for error messages. */
    public void skip(String key, String dtype) {
        skipped.put(key, dtype);
    }

    /** The dtype of a tensor that was not loaded, or null. */
    public String skippedDtype(String key) {
        return skipped.get(key);
    }

    public Entry get(String key) {
        return tensors.get(key);
    }

    public Map<String, Entry> entries() {
        return tensors;
    }
}
