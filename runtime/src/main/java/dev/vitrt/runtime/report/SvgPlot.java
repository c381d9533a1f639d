package dev.vitrt.runtime.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The project's SVG charts, written as text with no dependencies: a scatter/line plot (axes with ticks, linear or log
 * 10, one colour per series, optional lines through a series' points, dashed lines, labels next to points, and a
 * legend), enough for "latency vs GMACs" and "latency vs tokens"; and {@link #bars}, the horizontal bars of a
 * profile's share per block type.
 */
public final class SvgPlot {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 200;
    private static final int TOP = 40;
    private static final int BOTTOM = 55;

    /** One point; {@code label} (may be null) is drawn beside it. */
    public record Point(double x, double y, String label) {
    }

    /** A named series; {@code line} joins its points in x order, {@code dashed} draws that line dashed. */
    public record Series(String name, List<Point> points, boolean line, boolean dashed) {
        public Series {
            points = List.copyOf(points);
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();

    public SvgPlot(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.logY = logY;
    }

    /** Adds a series; points with non-finite (or, on a log axis, non-positive) coordinates are left out. */
    public SvgPlot add(Series s) {
        List<Point> keep = new ArrayList<>();
        for (Point p : s.points()) {
            if (plottable(p.x(), logX) && plottable(p.y(), logY)) {
                keep.add(p);
            }
        }
        series.add(new Series(s.name(), keep, s.line(), s.dashed()));
        return this;
    }

    public List<Series> series() {
        return List.copyOf(series);
    }

    private static boolean plottable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /** The SVG document. */
    public String render() {
        double[] xr = range(true);
        double[] yr = range(false);
        int pw = WIDTH - LEFT - RIGHT;
        int ph = HEIGHT - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                LEFT, esc(title)));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#333\"/>%n", LEFT, TOP, pw, ph));
        for (double t : ticks(xr, logX)) {
            double px = LEFT + pw * frac(t, xr, logX);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    px, TOP, px, TOP + ph));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px,
                    TOP + ph + 16, esc(tickLabel(t))));
        }
        for (double t : ticks(yr, logY)) {
            double py = TOP + ph * (1 - frac(t, yr, logY));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, py, LEFT + pw, py));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, py + 4, esc(tickLabel(t))));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + pw / 2, HEIGHT - 14, esc(xLabel + (logX ? " (log scale)" : ""))));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 16 %d)\">%s</text>%n", TOP + ph / 2, TOP + ph / 2,
                esc(yLabel + (logY ? " (log scale)" : ""))));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            List<Point> pts = new ArrayList<>(s.points());
            pts.sort((a, b) -> Double.compare(a.x(), b.x()));
            if (s.line() && pts.size() > 1) {
                StringBuilder d = new StringBuilder();
                for (Point p : pts) {
                    d.append(d.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f",
                            LEFT + pw * frac(p.x(), xr, logX), TOP + ph * (1 - frac(p.y(), yr, logY))));
                }
                sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                        d, colour, s.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
            }
            for (Point p : pts) {
                double px = LEFT + pw * frac(p.x(), xr, logX);
                double py = TOP + ph * (1 - frac(p.y(), yr, logY));
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", px, py,
                        colour));
                if (p.label() != null && !p.label().isEmpty()) {
                    sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"%s\">%s"
                            + "</text>%n", px + 6, py - 5, colour, esc(p.label())));
                }
            }
            int ly = TOP + 10 + 18 * i;
            int lx = WIDTH - RIGHT + 12;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2\"%s/>%n", lx, ly, lx + 22, ly, colour, s.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>%n", lx + 11, ly,
                    colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 28, ly + 4, esc(s.name())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** [min, max] of the data on one axis, padded; a default range when there is no data. */
    private double[] range(boolean x) {
        boolean log = x ? logX : logY;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                double v = x ? p.x() : p.y();
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            return log ? new double[] {1, 10} : new double[] {0, 1};
        }
        if (log) {
            double a = Math.log10(lo);
            double b = Math.log10(hi);
            double pad = Math.max(0.05, (b - a) * 0.08);
            return new double[] {Math.pow(10, a - pad), Math.pow(10, b + pad)};
        }
        if (lo == hi) {
            double d = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new double[] {lo - d, hi + d};
        }
        double pad = (hi - lo) * 0.08;
        // latency and MACs axes read best from zero when the data is not far from it
        double start = lo >= 0 && lo - pad < (hi - lo) ? 0 : lo - pad;
        return new double[] {start, hi + pad};
    }

    private static double frac(double v, double[] r, boolean log) {
        if (log) {
            return (Math.log10(v) - Math.log10(r[0])) / (Math.log10(r[1]) - Math.log10(r[0]));
        }
        return (v - r[0]) / (r[1] - r[0]);
    }

    /** Tick values: 1-2-5 steps (linear), or 1-2-5 per decade (log). */
    public static List<Double> ticks(double[] r, boolean log) {
        List<Double> out = new ArrayList<>();
        if (log) {
            for (int e = (int) Math.floor(Math.log10(r[0])); e <= (int) Math.ceil(Math.log10(r[1])); e++) {
                for (int m : new int[] {1, 2, 5}) {
                    double v = m * Math.pow(10, e);
                    if (v >= r[0] && v <= r[1]) {
                        out.add(v);
                    }
                }
            }
            return out;
        }
        double span = r[1] - r[0];
        double raw = span / 6;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        // each tick from its index (no accumulated rounding), rounded to the step's decimals
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)) + 1);
        for (long i = (long) Math.ceil(r[0] / step - 1e-9); i * step <= r[1] + step * 1e-9; i++) {
            out.add(java.math.BigDecimal.valueOf(i * step).setScale(decimals, java.math.RoundingMode.HALF_UP)
                    .doubleValue());
        }
        return out;
    }

    private static String tickLabel(double v) {
        if (v != 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-2)) {
            return String.format(Locale.ROOT, "%.0e", v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** One horizontal bar: a label, its value (drawn as a share, e.g. 0.42 as 42.0%) and its colour. */
    public record Bar(String label, double share, String colour) {
    }

    /**
     * Horizontal bars, one per row, the longest filling the width, each labelled on the left and with its share in
     * percent on the right.
     */
    public static String bars(List<Bar> bars, String ariaLabel) {
        int rowH = 26;
        int labelW = 170;
        int barW = 480;
        int h = rowH * bars.size() + 10;
        double maxShare = bars.stream().mapToDouble(Bar::share).max().orElse(1);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" "
                        + "aria-label=\"%s\">\n", labelW + barW + 80, h, esc(ariaLabel)));
        int y = 5;
        for (Bar bar : bars) {
            double w = maxShare > 0 ? barW * bar.share() / maxShare : 0;
            sb.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%.1f%%</text>\n",
                    labelW - 8, y + 16, esc(bar.label()), labelW, y + 3, w, rowH - 8, bar.colour(), labelW + w + 6,
                    y + 16, 100 * bar.share()));
            y += rowH;
        }
        return sb.append("</svg>\n").toString();
    }

    /** Text escaped for XML and HTML. */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
