package dev.vitrt.benchmark;

/**
 * Least-squares fit of {@code y = c * x^b} on log-log axes: the exponent {@code b} says how latency grows with the
 * token count (1 linear, 2 quadratic), {@code r2} how well a power law describes the points.
 */
public record PowerLawFit(double exponent, double coefficient, double r2, int points) {

    /** Fits the points with positive, finite coordinates; needs at least two distinct x. */
    public static PowerLawFit of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length");
        }
        int n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] > 0) || !(y[i] > 0) || !Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                continue;
            }
            double lx = Math.log(x[i]);
            double ly = Math.log(y[i]);
            n++;
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
            syy += ly * ly;
        }
        double vx = sxx - sx * sx / Math.max(n, 1);
        if (n < 2 || vx <= 1e-12) {
            return new PowerLawFit(Double.NaN, Double.NaN, Double.NaN, n);
        }
        double b = (sxy - sx * sy / n) / vx;
        double a = (sy - b * sx) / n;
        double vy = syy - sy * sy / n;
        double r2 = vy <= 1e-18 ? 1.0 : Math.pow(sxy - sx * sy / n, 2) / (vx * vy);
        return new PowerLawFit(b, Math.exp(a), r2, n);
    }

    /** Whether there were enough points to fit. */
    public boolean valid() {
        return Double.isFinite(exponent);
    }
}
