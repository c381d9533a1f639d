package dev.vitrt.runtime.compare;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How close an output is to a reference output, the way Polygraphy's comparator checks two runners: element-wise
 * tolerances as {@code numpy.isclose} has them ({@code |actual - reference| <= atol + rtol * |reference|}), absolute
 * and relative error statistics (max, mean, median), cosine similarity, top-1 agreement for [N, C] outputs, and the
 * element furthest outside the tolerance. Also the project's parity measure, {@code max|a-b| / max|reference|}.
 *
 * @param maxAbsDiff      largest |actual - reference| (NaN if any element is NaN)
 * @param meanAbsDiff     mean |actual - reference|
 * @param medianAbsDiff   median |actual - reference|
 * @param maxRelDiff      largest |actual - reference| / |reference| (infinite where the reference is 0 and the
 *                        output is not)
 * @param meanRelDiff     mean of the element-wise relative error
 * @param medianRelDiff   median of the element-wise relative error
 * @param relativeError   max |actual - reference| / max |reference| (the parity measure of the fixtures' README)
 * @param cosine          cosine similarity of the flattened outputs (1 when both are all zero)
 * @param top1Agreement   fraction of rows with the same argmax (NaN unless rank 2)
 * @param rows            rows compared for top-1 (0 unless rank 2)
 * @param tolerance       the element-wise tolerance checked
 * @param elements        elements compared
 * @param beyondTolerance elements outside the tolerance (NaN never within it)
 * @param worst           the element furthest outside the tolerance (or closest to it when all are within), null
 *                        when the outputs are empty
 */
public record OutputComparison(double maxAbsDiff, double meanAbsDiff, double medianAbsDiff, double maxRelDiff,
                               double meanRelDiff, double medianRelDiff, double relativeError, double cosine,
                               double top1Agreement, int rows, Tolerance tolerance, long elements,
                               long beyondTolerance, Element worst) {

    /**
     * Element-wise tolerance: an element passes when {@code |actual - reference| <= atol + rtol * |reference|}.
     *
     * @param atol absolute tolerance, finite and 0 or more
     * @param rtol relative tolerance, finite and 0 or more
     */
    public record Tolerance(double atol, double rtol) {
        /** Bit-for-bit equality. */
        public static final Tolerance EXACT = new Tolerance(0, 0);
        /** Polygraphy's defaults (atol 1e-5, rtol 1e-5). */
        public static final Tolerance DEFAULT = new Tolerance(1e-5, 1e-5);

        public Tolerance {
            if (!(atol >= 0) || !(rtol >= 0) || Double.isInfinite(atol) || Double.isInfinite(rtol)) {
                throw new IllegalArgumentException("atol and rtol must be finite and 0 or more, got atol " + atol
                        + ", rtol " + rtol);
            }
        }

        /** The largest |actual - reference| allowed at this reference value. */
        public double bound(double reference) {
            return atol + rtol * Math.abs(reference);
        }

        @Override
        public String toString() {
            return "atol " + plain(atol) + ", rtol " + plain(rtol);
        }
    }

    /**
     * One element of the compared outputs.
     *
     * @param index     its index in the output, one entry per dimension
     * @param actual    the output's value
     * @param reference the reference's value
     */
    public record Element(long[] index, float actual, float reference) {
        /** The index as numpy writes it, e.g. {@code (1, 417)}. */
        public String indexString() {
            return FloatTensor.shapeString(index);
        }

        /** |actual - reference|. */
        public double absDiff() {
            return Math.abs((double) actual - reference);
        }
    }

    /**
     * Every output of a run checked against a reference run's, in the run's order.
     *
     * @param outputs   one entry per output of the run
     * @param tolerance the element-wise tolerance checked
     */
    public record Outputs(List<Output> outputs, Tolerance tolerance) {
        /**
         * One output: its comparison, or why it could not be compared.
         *
         * @param name       the output's name in the run
         * @param shape      its shape in the run
         * @param comparison against the reference's output, or null
         * @param problem    why there is no comparison (no such output in the reference, another shape), or null
         */
        public record Output(String name, long[] shape, OutputComparison comparison, String problem) {
            public boolean passed() {
                return comparison != null && comparison.passed();
            }
        }

        /** Every output compared and within the tolerance. */
        public boolean passed() {
            return outputs.stream().allMatch(Output::passed);
        }

        /** The outputs that failed, by name. */
        public List<String> failed() {
            return outputs.stream().filter(o -> !o.passed()).map(Output::name).toList();
        }

        /** Each output's {@link OutputComparison#describe}, then the verdict. */
        public String describe(String actualLabel, String referenceLabel) {
            StringBuilder s = new StringBuilder();
            for (Output o : outputs) {
                s.append(o.comparison != null ? o.comparison.describe(o.name, o.shape, actualLabel, referenceLabel)
                        : "output '" + o.name + "' " + shown(o.shape) + ": FAILED, " + o.problem
                        + System.lineSeparator());
            }
            return s.append(passed() ? "PASSED: every output within " + tolerance
                    : "FAILED: " + String.join(", ", failed()) + " beyond " + tolerance).append(System.lineSeparator())
                    .toString();
        }
    }

    /**
     * Checks every output of {@code actual} against {@code reference}'s, matched by name, or by position where the two
     * have as many outputs under other names (two exports of one model may name them differently), as Polygraphy
     * pairs runners' outputs.
     */
    public static Outputs ofAll(Map<String, FloatTensor> reference, Map<String, FloatTensor> actual,
                                Tolerance tolerance) {
        List<String> refNames = List.copyOf(reference.keySet());
        boolean byPosition = reference.size() == actual.size() && !reference.keySet().equals(actual.keySet());
        List<Outputs.Output> out = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, FloatTensor> e : actual.entrySet()) {
            String refName = byPosition ? refNames.get(i++) : e.getKey();
            FloatTensor ref = reference.get(refName);
            long[] shape = e.getValue().shape();
            if (ref == null) {
                out.add(new Outputs.Output(e.getKey(), shape, null, "no output of that name in the reference"));
            } else if (!Arrays.equals(ref.shape(), shape)) {
                out.add(new Outputs.Output(e.getKey(), shape, null, "the reference's '" + refName + "' has shape "
                        + FloatTensor.shapeString(ref.shape())));
            } else {
                out.add(new Outputs.Output(e.getKey(), shape, of(ref, e.getValue(), tolerance), null));
            }
        }
        return new Outputs(List.copyOf(out), tolerance);
    }

    /** Compares {@code actual} against {@code reference} bit for bit ({@link Tolerance#EXACT}); same shapes. */
    public static OutputComparison of(FloatTensor reference, FloatTensor actual) {
        return of(reference, actual, Tolerance.EXACT);
    }

    /**
     * Compares {@code actual} against {@code reference} within {@code tolerance}.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public static OutputComparison of(FloatTensor reference, FloatTensor actual, Tolerance tolerance) {
        if (!Arrays.equals(reference.shape(), actual.shape())) {
            throw new IllegalArgumentException("outputs differ in shape: " + FloatTensor.shapeString(actual.shape())
                    + " vs reference " + FloatTensor.shapeString(reference.shape()));
        }
        float[] r = reference.data();
        float[] y = actual.data();
        int n = r.length;
        double[] abs = new double[n];
        double[] rel = new double[n];
        double maxAbs = 0;
        double sumAbs = 0;
        double maxRel = 0;
        double sumRel = 0;
        double maxRef = 0;
        double dot = 0;
        double nr = 0;
        double ny = 0;
        long beyond = 0;
        int worst = -1;
        double worstExcess = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double d = Math.abs((double) y[i] - r[i]);
            double ref = Math.abs(r[i]);
            double q = d == 0 ? 0 : d / ref; // ref 0 and d > 0: infinite, as numpy divides
            abs[i] = d;
            rel[i] = q;
            maxAbs = Double.isNaN(d) || Double.isNaN(maxAbs) ? Double.NaN : Math.max(maxAbs, d);
            maxRel = Double.isNaN(q) || Double.isNaN(maxRel) ? Double.NaN : Math.max(maxRel, q);
            sumAbs += d;
            sumRel += q;
            maxRef = Math.max(maxRef, ref);
            dot += (double) r[i] * y[i];
            nr += (double) r[i] * r[i];
            ny += (double) y[i] * y[i];
            double excess = d - tolerance.bound(r[i]);
            if (!(excess <= 0)) {
                beyond++;
            }
            // NaN is the worst of all; among numbers, the largest excess over the bound
            if (worst < 0 || (Double.isNaN(excess) && !Double.isNaN(worstExcess)) || excess > worstExcess) {
                worst = i;
                worstExcess = excess;
            }
        }
        double cos = nr == 0 && ny == 0 ? 1.0 : dot / Math.sqrt(nr * ny);
        double parity = maxRef == 0 ? (maxAbs == 0 ? 0 : Double.POSITIVE_INFINITY) : maxAbs / maxRef;
        double top1 = Double.NaN;
        int rows = 0;
        if (reference.rank() == 2 && reference.dim(1) > 0) {
            rows = (int) reference.dim(0);
            int c = (int) reference.dim(1);
            int agree = 0;
            for (int row = 0; row < rows; row++) {
                if (argmax(r, row * c, c) == argmax(y, row * c, c)) {
                    agree++;
                }
            }
            top1 = rows == 0 ? Double.NaN : agree / (double) rows;
        }
        Element w = worst < 0 ? null : new Element(unravel(worst, reference.shape()), y[worst], r[worst]);
        return new OutputComparison(maxAbs, n == 0 ? 0 : sumAbs / n, median(abs), maxRel, n == 0 ? 0 : sumRel / n,
                median(rel), parity, cos, top1, rows, tolerance, n, beyond, w);
    }

    /** Every element within the tolerance. */
    public boolean passed() {
        return beyondTolerance == 0;
    }

    /**
     * A few lines for a report: the verdict, the error statistics, and when it failed how many elements and the worst
     * one, with both values ({@code actualLabel} and {@code referenceLabel} name the two sides, e.g. {@code A} and
     * {@code B}).
     */
    public String describe(String output, long[] shape, String actualLabel, String referenceLabel) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "output '%s' %s: %s (%s)%n", output, shown(shape),
                passed() ? "PASSED" : "FAILED", tolerance));
        s.append("  abs error: max " + g(maxAbsDiff) + ", mean " + g(meanAbsDiff) + ", median " + g(medianAbsDiff))
                .append(System.lineSeparator());
        s.append("  rel error: max " + g(maxRelDiff) + ", mean " + g(meanRelDiff) + ", median " + g(medianRelDiff)
                + " (max|" + actualLabel + "-" + referenceLabel + "| / max|" + referenceLabel + "| " + g(relativeError)
                + ")").append(System.lineSeparator());
        s.append(String.format(Locale.ROOT, "  cosine %.8f%s%n", cosine, rows > 0
                ? String.format(Locale.ROOT, ", top-1 agreement %.1f%% (%d rows)", 100 * top1Agreement, rows) : ""));
        if (!passed()) {
            s.append(String.format(Locale.ROOT, "  %d of %d elements (%.2f%%) outside |%s-%s| <= atol + rtol*|%s|;"
                            + " worst at %s: %s %s, %s %s (|%s-%s| %s, allowed %s)%n", beyondTolerance,
                    elements, 100.0 * beyondTolerance / elements, actualLabel, referenceLabel, referenceLabel,
                    worst.indexString(), actualLabel, Float.toString(worst.actual()), referenceLabel,
                    Float.toString(worst.reference()), actualLabel,
                    referenceLabel, g(worst.absDiff()), g(tolerance.bound(worst.reference()))));
        }
        return s.toString();
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

    private static long[] unravel(long flat, long[] shape) {
        long[] index = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    /** Six significant digits; a plain 0 for zero. */
    private static String g(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.6g", v);
    }

    /** A tolerance as a user typed it: {@code 0}, {@code 0.00001}, {@code 1E-7}. */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toString();
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return 0;
        }
        Arrays.sort(v); // NaN sorts last
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /** A compared tensor as every command shows one: {@code [dtype=float32, shape=(2, 1000)]}. */
    private static String shown(long[] shape) {
        return new TensorSpec("", ElementType.FLOAT32, shape).dtypeAndShape();
    }
}
