package dev.vitrt.runtime.compare;

import dev.vitrt.runtime.FloatTensor;
import java.util.Arrays;

/**
 * How close two runners' outputs are, the way Polygraphy compares runners: max and mean absolute difference, relative
 * error ({@code max|a-b| / max|a|}, the project's parity measure), cosine similarity of the flattened tensors, and for
 * [N, C] outputs the fraction of rows whose top-1 class agrees.
 *
 * @param maxAbsDiff    largest |a - b|
 * @param meanAbsDiff   mean |a - b|
 * @param relativeError max |a - b| / max |a| (a is the reference)
 * @param cosine        cosine similarity of the flattened outputs (1 when both are all zero)
 * @param top1Agreement fraction of rows with the same argmax (NaN unless rank 2)
 * @param rows          rows compared for top-1 (0 unless rank 2)
 */
public record OutputComparison(double maxAbsDiff, double meanAbsDiff, double relativeError, double cosine,
                               double top1Agreement, int rows) {

    /** Compares {@code b} against the reference {@code a}; shapes must be equal. */
    public static OutputComparison of(FloatTensor a, FloatTensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("outputs differ in shape: " + FloatTensor.shapeString(a.shape())
                    + " vs " + FloatTensor.shapeString(b.shape()));
        }
        float[] x = a.data();
        float[] y = b.data();
        double maxDiff = 0;
        double sumDiff = 0;
        double maxRef = 0;
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs((double) x[i] - y[i]);
            if (Double.isNaN(d)) {
                maxDiff = Double.NaN;
            } else if (d > maxDiff) {
                maxDiff = d;
            }
            sumDiff += d;
            maxRef = Math.max(maxRef, Math.abs(x[i]));
            dot += (double) x[i] * y[i];
            nx += (double) x[i] * x[i];
            ny += (double) y[i] * y[i];
        }
        double cos = nx == 0 && ny == 0 ? 1.0 : dot / Math.sqrt(nx * ny);
        double rel = maxRef == 0 ? (maxDiff == 0 ? 0 : Double.POSITIVE_INFINITY) : maxDiff / maxRef;
        double top1 = Double.NaN;
        int rows = 0;
        if (a.rank() == 2 && a.dim(1) > 0) {
            rows = (int) a.dim(0);
            int c = (int) a.dim(1);
            int agree = 0;
            for (int r = 0; r < rows; r++) {
                if (argmax(x, r * c, c) == argmax(y, r * c, c)) {
                    agree++;
                }
            }
            top1 = rows == 0 ? Double.NaN : agree / (double) rows;
        }
        return new OutputComparison(maxDiff, x.length == 0 ? 0 : sumDiff / x.length, rel, cos, top1, rows);
    }

    /** Index of the largest value in {@code v[off .. off+n)}. */
    public static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
