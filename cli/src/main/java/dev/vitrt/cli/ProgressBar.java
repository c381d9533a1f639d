package dev.vitrt.cli;

import dev.vitrt.benchmark.ProgressListener;
import dev.vitrt.runtime.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress display of the command line and the benchmark programs: a one-line bar on stderr, redrawn in place
 * ({@code \r}) at most ten times a second. When stderr is not a terminal it prints a line per label change and at the
 * end instead, so logs stay readable. Libraries report through {@link Progress} and {@link ProgressListener}; this is
 * where it is shown.
 */
public final class ProgressBar implements ProgressListener.Stage {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final String what;
    private final boolean terminal;
    private final String rateLabel;
    private final String unit;
    private String rateStartLabel;
    private long labelStart;
    private long lastDraw;
    private String lastLabel;
    private boolean drawn;

    public ProgressBar(String what) {
        this(System.err, what, System.console() != null, null, null);
    }

    /** A bar that also shows, for steps under {@code rateLabel}, the rate ({@code unit}/s) and the time left. */
    ProgressBar(String what, String rateLabel, String unit) {
        this(System.err, what, System.console() != null, rateLabel, unit);
    }

    ProgressBar(PrintStream err, String what, boolean terminal, String rateLabel, String unit) {
        this.err = err;
        this.what = what;
        this.terminal = terminal;
        this.rateLabel = rateLabel;
        this.unit = unit;
    }

    @Override
    public synchronized void update(String label, long done, long total) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (!label.equals(rateStartLabel)) { // not lastLabel: clear() forgets that one
            rateStartLabel = label;
            labelStart = now;
        }
        if (terminal) {
            if (!finished && now - lastDraw < 100_000_000L && label.equals(lastLabel)) {
                return;
            }
            int filled = total <= 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / total);
            err.print(String.format(Locale.ROOT, "\r%s %-8s [%s%s] %3d%% %d/%d%s", what, label, "#".repeat(filled),
                    ".".repeat(WIDTH - filled), total <= 0 ? 100 : 100 * Math.min(done, total) / total, done, total,
                    rate(label, now, done, total)));
            err.flush();
            drawn = true;
        } else if (!label.equals(lastLabel) || finished) {
            err.println(String.format(Locale.ROOT, "%s %s %d/%d%s", what, label, done, total, rate(label, now, done, total)));
        }
        lastDraw = now;
        lastLabel = label;
    }

    /**
     * A status without a count ({@code vitrt export: building nextvit_small...}) for one step, on a terminal only (a
     * log gets the step's result line instead); {@link #clear()} erases it.
     */
    synchronized void status(String label) {
        if (terminal) {
            err.print("\r" + what + " " + label);
            err.flush();
            drawn = true;
        }
    }

    /** {@code "  12.3 images/s  ETA 1:05"} once something is done, empty without a unit. */
    private String rate(String label, long now, long done, long total) {
        double seconds = (now - labelStart) / 1e9;
        if (!label.equals(rateLabel) || done <= 0 || seconds <= 0) {
            return "";
        }
        double perSecond = done / seconds;
        long left = Math.round(Math.max(0, total - done) / perSecond);
        return String.format(Locale.ROOT, "  %.1f %s/s  ETA %d:%02d", perSecond, unit, left / 60, left % 60);
    }

    /**
     * A listener showing each stage of a benchmark as a bar of its own, named {@code prefix} and the stage, and tools'
     * log lines (TensorRT's builder) on stderr.
     */
    public static ProgressListener stages(String prefix) {
        return new ProgressListener() {
            @Override
            public Stage open(String what) {
                return new ProgressBar(prefix + what);
            }

            @Override
            public void log(String line) {
                System.err.println(line);
            }
        };
    }

    /** Erases the bar from its line (terminal only) so that other output can take the line; the next update redraws it. */
    synchronized void clear() {
        if (terminal && drawn) {
            err.print("\r" + " ".repeat(WIDTH + what.length() + 70) + "\r");
            err.flush();
            drawn = false;
            lastLabel = null;
        }
    }

    /** Prints a line of its own (a step done, a note), erasing the bar first; the next update redraws it. */
    synchronized void println(String line) {
        clear();
        err.println(line);
    }

    /** Ends the bar's line. */
    @Override
    public synchronized void close() {
        if (terminal && drawn) {
            err.println();
            drawn = false;
        }
    }
}
