package dev.vitrt.benchmark;

import java.util.Locale;

/** Cell formatting: fixed decimals, empty for a missing figure. */
final class Fmt {
    private Fmt() {
    }

    static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "";
    }

    static String num(Double v, int decimals) {
        return v == null ? "" : num(v.doubleValue(), decimals);
    }

    static String ms(double v) {
        return num(v, v >= 100 ? 1 : 2);
    }

    static String range(double lo, double hi) {
        return ms(lo) + "-" + ms(hi);
    }

    /** A row's reported CPU time, or empty when it could not be measured. */
    static String cpu(Measured m) {
        return m.cpu() == null ? "" : ms(m.cpuMs());
    }

    static String cpuRange(Spread s) {
        return s == null ? "" : range(s.p10(), s.p90());
    }

    static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2fx", v) : "";
    }
}
