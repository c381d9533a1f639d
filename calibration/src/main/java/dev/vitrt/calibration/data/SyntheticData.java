package dev.vitrt.calibration.data;

import dev.vitrt.runtime.FloatTensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Seeded standard-normal samples, which is what normalized images look like to a model's first layer: enough for a
 * latency and agreement check without a data set, not a substitute for real images when accuracy matters.
 * Each sample is generated from its own index, so any sample can be produced alone.
 */
public final class SyntheticData implements CalibrationData {
    private final long seed;
    private final int size;
    private final long[] shape;

    public SyntheticData(long seed, int size, long[] sampleShape) {
        if (size < 1) {
            throw new IllegalArgumentException("synthetic data needs at least 1 sample, got " + size);
        }
        this.seed = seed;
        this.size = size;
        this.shape = sampleShape.clone();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long[] sampleShape() {
        return shape.clone();
    }

    @Override
    public FloatTensor batch(int from, int count) {
        int per = (int) FloatTensor.elementCount(shape);
        float[] data = new float[per * count];
        for (int s = 0; s < count; s++) {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + from + s);
            for (int i = 0; i < per; i++) {
                data[s * per + i] = (float) gaussian(rnd);
            }
        }
        long[] bshape = new long[shape.length + 1];
        bshape[0] = count;
        System.arraycopy(shape, 0, bshape, 1, shape.length);
        return new FloatTensor(bshape, data);
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; SplittableRandom has no nextGaussian in Java 17
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Override
    public String fingerprint() {
        return "synthetic:seed=" + seed + ";samples=" + size + ";shape="
                + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    @Override
    public String describe() {
        return size + " synthetic samples (seed " + seed + ")";
    }
}
