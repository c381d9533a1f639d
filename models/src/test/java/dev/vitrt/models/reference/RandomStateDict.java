package dev.vitrt.models.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A state dict that a reference model fills as it asks for keys: values from a checkpoint when one was loaded,
 * else random but sane ones (BatchNorm statistics with var in [0.5, 1.5], as the timm fixtures have). Written out
 * as safetensors, it becomes the checkpoint the exported graph is built from, so reference and graph share
 * every weight, and the exporter's key check proves they declare the same keys.
 */
public final class RandomStateDict {
    /** One tensor. */
    public record T(long[] shape, double[] data) {
    }

    private final Map<String, T> tensors = new LinkedHashMap<>();
    private final SplittableRandom rng;

    public RandomStateDict(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** Preloaded values (e.g. a fixture checkpoint) taking precedence over random ones. */
    public void put(String key, long[] shape, float[] data) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        tensors.put(key, new T(shape, d));
    }

    /** A conv or linear weight, uniform in +-1/sqrt(fan_in) scaled by {@code gain}. */
    public double[] weight(String key, double gain, long... shape) {
        long fanIn = numel(shape) / shape[0];
        double bound = gain / Math.sqrt(fanIn);
        return get(key, shape, () -> (rng.nextDouble() * 2 - 1) * bound);
    }

    /** Uniform in [lo, hi). */
    public double[] uniform(String key, double lo, double hi, long... shape) {
        return get(key, shape, () -> lo + rng.nextDouble() * (hi - lo));
    }

    private double[] get(String key, long[] shape, java.util.function.DoubleSupplier gen) {
        T t = tensors.get(key);
        if (t == null) {
            double[] d = new double[Math.toIntExact(numel(shape))];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) gen.getAsDouble(); // the graph gets float32 weights
            }
            t = new T(shape.clone(), d);
            tensors.put(key, t);
        }
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new IllegalStateException(key + ": reference expects " + java.util.Arrays.toString(shape));
        }
        return t.data();
    }

    /** Writes the tensors as an F32 safetensors file. */
    public void writeSafetensors(Path file) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, T> e : tensors.entrySet()) {
            long bytes = e.getValue().data().length * 4L;
            header.put(e.getKey(), Map.of("dtype", "F32", "shape", e.getValue().shape(), "data_offsets",
                    List.of(offset, offset + bytes)));
            offset += bytes;
        }
        byte[] json = new ObjectMapper().writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            for (T t : tensors.values()) {
                ByteBuffer b = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (double v : t.data()) {
                    b.putFloat((float) v);
                }
                out.write(b.array());
            }
        }
    }

    static long numel(long[] s) {
        long n = 1;
        for (long v : s) {
            n *= v;
        }
        return n;
    }
}
