package dev.vitrt.cli;

import dev.vitrt.runtime.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place ({@code \r}) at most ten times a second. When stderr is not a
 * terminal it prints a line per label change and at the end instead, so logs stay readable.
 */
final class ProgressBar implements Progress, AutoCloseable {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final String what;
    private final boolean terminal;
    private long lastDraw;
    private String lastLabel;
    private boolean drawn;

    ProgressBar(String what) {
        this(System.err, what, System.console() != null);
    }

    ProgressBar(PrintStream err, String what, boolean terminal) {
        this.err = err;
        this.what = what;
        this.terminal = terminal;
    }

    @Override
    public synchronized void update(String label, long done, long total) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (terminal) {
            if (!finished && now - lastDraw < 100_000_000L && label.equals(lastLabel)) {
                return;
            }
            int filled = total <= 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / total);
            err.print(String.format(Locale.ROOT, "\r%s %-8s [%s%s] %3d%% %d/%d", what, label, "#".repeat(filled),
                    ".".repeat(WIDTH - filled), total <= 0 ? 100 : 100 * Math.min(done, total) / total, done, total));
            err.flush();
            drawn = true;
        } else if (!label.equals(lastLabel) || finished) {
            err.println(String.format(Locale.ROOT, "%s %s %d/%d", what, label, done, total));
        }
        lastDraw = now;
        lastLabel = label;
    }

    /** Erases the bar from its line (terminal only) so that other output can take the line; the next update redraws it. */
    synchronized void clear() {
        if (terminal && drawn) {
            err.print("\r" + " ".repeat(WIDTH + what.length() + 40) + "\r");
            err.flush();
            drawn = false;
            lastLabel = null;
        }
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
