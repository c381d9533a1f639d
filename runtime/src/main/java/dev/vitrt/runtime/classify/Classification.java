package dev.vitrt.runtime.classify;

import dev.vitrt.runtime.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One class of a classifier's answer: its index, its name (null where the model's classes have none), the raw
 * logit and the softmax probability over all classes.
 */
public record Classification(int index, String name, float logit, double probability) {

    /** {@code 1. class  207  golden retriever   p=0.8123  logit=9.8765}: {@code rank}, then the name padded to 40. */
    public String describe(int rank) {
        return String.format(Locale.ROOT, "%d. class %4d  %sp=%.4f  logit=%.4f", rank, index,
                name == null ? "" : String.format(Locale.ROOT, "%-40s ", name), probability, logit);
    }

    /**
     * The {@code k} most likely classes of row {@code row} of [N, C] logits, most likely first (ties keep the lower
     * index first). {@code names} may be null; when given, it must have C classes.
     */
    public static List<Classification> topK(FloatTensor logits, int row, int k, ClassNames names) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("logits must be [N, classes], got " + FloatTensor.shapeString(logits.shape()));
        }
        int c = Math.toIntExact(logits.dim(1));
        if (row < 0 || row >= logits.dim(0)) {
            throw new IndexOutOfBoundsException("row " + row + " of " + logits.dim(0));
        }
        if (names != null && names.size() != c) {
            throw new IllegalArgumentException("the model has " + c + " classes but " + names.size() + " class names were given");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        return topK(logits.data(), row * c, c, k, names);
    }

    /** Top {@code k} of {@code logits[offset, offset + n)}, as {@link #topK(FloatTensor, int, int, ClassNames)}. */
    public static List<Classification> topK(float[] logits, int offset, int n, int k, ClassNames names) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        int kk = Math.min(k, n);
        int[] best = new int[kk];
        int filled = 0;
        // insertion into a sorted prefix: O(n·k), and k is small
        for (int i = 0; i < n; i++) {
            float v = logits[offset + i];
            int pos = filled;
            while (pos > 0 && logits[offset + best[pos - 1]] < v) {
                pos--;
            }
            if (pos >= kk) {
                continue;
            }
            System.arraycopy(best, pos, best, pos + 1, Math.min(filled, kk - 1) - pos);
            best[pos] = i;
            filled = Math.min(filled + 1, kk);
        }
        List<Classification> out = new ArrayList<>(kk);
        for (int i = 0; i < kk; i++) {
            int idx = best[i];
            float v = logits[offset + idx];
            out.add(new Classification(idx, names == null ? null : names.name(idx), v, Math.exp(v - max) / sum));
        }
        return out;
    }
}
