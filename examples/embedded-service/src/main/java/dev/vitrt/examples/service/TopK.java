package dev.vitrt.examples.service;

import java.util.ArrayList;
import java.util.List;

/** The k largest logits of one image with their softmax probabilities. */
final class TopK {
    /** One class: index, raw logit, probability over all classes. */
    record Entry(int index, float logit, double probability) {
    }

    private TopK() {
    }

    /** Top {@code k} of {@code logits[offset, offset + n)}, highest first; ties keep the lower index first. */
    static List<Entry> of(float[] logits, int offset, int n, int k) {
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
        for (int i = 0; i < n; i++) {
            float v = logits[offset + i];
            int pos = filled;
            while (pos > 0 && logits[offset + best[pos - 1]] < v) {
                pos--;
            }
            if (pos >= kk) {
                continue;
            }
            int end = Math.min(filled, kk - 1);
            System.arraycopy(best, pos, best, pos + 1, end - pos);
            best[pos] = i;
            filled = Math.min(filled + 1, kk);
        }
        List<Entry> out = new ArrayList<>(kk);
        for (int i = 0; i < kk; i++) {
            float v = logits[offset + best[i]];
            out.add(new Entry(best[i], v, Math.exp(v - max) / sum));
        }
        return out;
    }
}
