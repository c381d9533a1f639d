package dev.vitrt.models.weights;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The parameters a model definition declares under timm's state-dict keys, with their values: from a checkpoint
 * when one is given, else seeded random initialisation. Trainable parameters are counted the way timm counts them
 * (BatchNorm running statistics are buffers and are not).
 */
public final class Params {
    /** How a parameter is initialised without a checkpoint. */
    public enum Init {
        /** Uniform in +-1/sqrt(fan_in), PyTorch's default for conv and linear weights. */
        FAN_IN,
        ZEROS,
        ONES,
        /** Small positive values, for variances. */
        VARIANCE
    }

    private final StateDict checkpoint;
    private final long seed;
    private final boolean zeros;
    private final Set<String> fresh;
    private final boolean allowNonFinite;
    private final Map<String, long[]> declared = new LinkedHashMap<>();
    private long parameterCount;

    public Params(StateDict checkpoint, long seed) {
        this(checkpoint, seed, Set.of(), false);
    }

    /** Values from {@code checkpoint} but NaN/Inf ones allowed or not; see the full constructor. */
    public Params(StateDict checkpoint, long seed, boolean allowNonFinite) {
        this(checkpoint, seed, Set.of(), allowNonFinite);
    }

    /** Values from {@code checkpoint} except the keys in {@code fresh}; see the full constructor. */
    public Params(StateDict checkpoint, long seed, Set<String> fresh) {
        this(checkpoint, seed, fresh, false);
    }

    /**
     * Values from {@code checkpoint} (null: seeded random ones), except the keys in {@code fresh}, which are
     * initialised as without one (a classifier replaced by one of another size, as timm does when {@code num_classes}
     * differs from the weights'). A checkpoint value that is NaN or infinite is refused with a
     * {@link NonFiniteWeightsException} naming the tensor, unless {@code allowNonFinite}: such a model only ever
     * outputs NaN, and the export would otherwise succeed silently.
     */
    public Params(StateDict checkpoint, long seed, Set<String> fresh, boolean allowNonFinite) {
        this(checkpoint, seed, false, Set.copyOf(fresh), allowNonFinite);
    }

    private Params(StateDict checkpoint, long seed, boolean zeros, Set<String> fresh, boolean allowNonFinite) {
        this.checkpoint = checkpoint;
        this.seed = seed;
        this.zeros = zeros;
        this.fresh = fresh;
        this.allowNonFinite = allowNonFinite;
    }

    /** All values zero: for accounting (parameter and MAC counts) without paying for random initialisation. */
    public static Params zeros() {
        return new Params(null, 0, true, Set.of(), false);
    }

    public boolean fromCheckpoint() {
        return checkpoint != null;
    }

    /** A trainable parameter (counted). */
    public float[] param(String key, long[] shape, Init init) {
        parameterCount += numel(shape);
        return value(key, shape, init);
    }

    /** A buffer such as BatchNorm running statistics (not counted). */
    public float[] buffer(String key, long[] shape, Init init) {
        return value(key, shape, init);
    }

    public long parameterCount() {
        return parameterCount;
    }

    /** The checkpoint's keys that the model never declared, sorted (none without a checkpoint). */
    public TreeSet<String> unusedKeys() {
        TreeSet<String> extra = new TreeSet<>();
        if (checkpoint != null) {
            extra.addAll(checkpoint.entries().keySet());
            extra.removeAll(declared.keySet());
        }
        return extra;
    }

    /** The keys declared so far (parameters and buffers) with their shapes, in declaration order. */
    public Map<String, long[]> declared() {
        return Collections.unmodifiableMap(declared);
    }

    /** Throws when the checkpoint holds keys the model never declared. */
    public void checkAllUsed(String model) {
        TreeSet<String> extra = unusedKeys();
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint.source() + " has key '" + extra.first()
                    + "' that " + model + " does not have" + (extra.size() > 1 ? " (and " + (extra.size() - 1)
                    + " more unexpected keys)" : "") + "; is it a checkpoint of another model?");
        }
    }

    private float[] value(String key, long[] shape, Init init) {
        if (declared.put(key, shape) != null) {
            throw new IllegalStateException("parameter declared twice: " + key);
        }
        if (checkpoint != null && !fresh.contains(key)) {
            StateDict.Entry e = checkpoint.get(key);
            if (e == null && checkpoint.skippedDtype(key) != null) {
                throw new IllegalArgumentException("checkpoint " + checkpoint.source() + " key '" + key + "' is stored"
                        + " as " + checkpoint.skippedDtype(key) + ", an unsupported dtype for weights (float32,"
                        + " float16, bfloat16 and float64 are loaded)");
            }
            if (e == null) {
                throw new IllegalArgumentException("checkpoint " + checkpoint.source() + " is missing key '" + key
                        + "' " + Arrays.toString(shape) + "; is it a checkpoint of another model?");
            }
            if (!Arrays.equals(e.shape(), shape)) {
                throw new IllegalArgumentException("checkpoint " + checkpoint.source() + " key '" + key + "' has shape "
                        + Arrays.toString(e.shape()) + " but the model expects " + Arrays.toString(shape));
            }
            if (!allowNonFinite) {
                checkFinite(key, e.data());
            }
            return e.data();
        }
        return random(key, shape, init);
    }

    private void checkFinite(String key, float[] data) {
        int bad = 0;
        int first = -1;
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            throw new NonFiniteWeightsException("checkpoint " + checkpoint.source() + " key '" + key + "' holds " + bad
                    + " NaN or infinite value" + (bad > 1 ? "s" : "") + " (the first at index " + first + ": "
                    + data[first] + "); a model with them outputs NaN");
        }
    }

    private float[] random(String key, long[] shape, Init init) {
        float[] v = new float[Math.toIntExact(numel(shape))];
        if (zeros) {
            return v;
        }
        switch (init) {
            case ZEROS -> {
            }
            case ONES -> Arrays.fill(v, 1f);
            case VARIANCE -> {
                SplittableRandom r = rng(key);
                for (int i = 0; i < v.length; i++) {
                    v[i] = 0.5f + (float) r.nextDouble();
                }
            }
            case FAN_IN -> {
                long fanIn = shape.length < 2 ? 1 : numel(shape) / shape[0];
                double bound = 1.0 / Math.sqrt(Math.max(1, fanIn));
                SplittableRandom r = rng(key);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
                }
            }
            default -> throw new IllegalStateException(init.toString());
        }
        return v;
    }

    // per-key streams: the values of a parameter do not depend on declaration order
    private SplittableRandom rng(String key) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001B3L;
        }
        return new SplittableRandom(h);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
