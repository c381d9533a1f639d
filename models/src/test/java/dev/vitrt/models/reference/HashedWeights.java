package dev.vitrt.models.reference;

import dev.vitrt.models.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Weights and inputs made by a formula instead of stored: value i of key K is a double u in [0, 1) from splitmix64 of
 * (FNV-1a 64 of K, xor the seed) + i, mapped by the kind of tensor (see {@code fixtures/features/make_features.py},
 * which computes the same numbers in Python for timm). Lets a test rebuild a 100 MB checkpoint from its key list.
 */
public final class HashedWeights {
    private HashedWeights() {
    }

    static long splitmix64(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long keyHash(long seed, String key) {
        long h = 0xCBF29CE484222325L ^ seed;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001B3L;
        }
        return h;
    }

    /** n values of u in [0, 1) for {@code key}. */
    public static double[] uniform(long seed, String key, int n) {
        long base = keyHash(seed, key);
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = (splitmix64(base + i) >>> 11) * 0x1.0p-53;
        }
        return u;
    }

    /** The tensor {@code key} of {@code shape}: BatchNorm statistics, scales and biases in sane ranges, weights by fan-in. */
    public static float[] value(long seed, String key, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] u = uniform(seed, key, Math.toIntExact(n));
        float[] v = new float[u.length];
        double fanIn = shape.length >= 2 ? n / shape[0] : 1;
        for (int i = 0; i < v.length; i++) {
            double x;
            if (key.endsWith("running_var")) {
                x = 0.5 + u[i];
            } else if (key.endsWith("running_mean")) {
                x = 0.2 * (u[i] - 0.5);
            } else if (shape.length >= 2) {
                x = (2.0 * u[i] - 1.0) / Math.sqrt(fanIn);
            } else if (key.endsWith("bias")) {
                x = 0.2 * (u[i] - 0.5);
            } else {
                x = 0.5 + u[i];
            }
            v[i] = (float) x;
        }
        return v;
    }

    /** An input image [1, 3, h, w]: 2 (2u - 1) on the key {@code input}. */
    public static float[] input(long seed, int h, int w) {
        double[] u = uniform(seed, "input", 3 * h * w);
        float[] v = new float[u.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (2.0 * (2.0 * u[i] - 1.0));
        }
        return v;
    }

    /** Writes the checkpoint of these keys and shapes as an F32 safetensors file. */
    public static Path write(long seed, Map<String, long[]> keys, Path file) throws IOException {
        SafeTensorsWriter w = new SafeTensorsWriter();
        keys.forEach((k, shape) -> w.f32(k, shape, value(seed, k, shape)));
        return w.write(file);
    }
}
