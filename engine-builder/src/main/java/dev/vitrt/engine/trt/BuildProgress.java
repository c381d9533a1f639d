package dev.vitrt.engine.trt;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The engine build's progress line on stderr: a moving bar, the elapsed time and TensorRT's latest build phase (from
 * its info log). It is indeterminate because the JavaCPP TensorRT presets (1.5.13) do not virtualize
 * {@code IProgressMonitor}, so TensorRT cannot call a Java progress monitor; the logger is the callback they do allow.
 */
final class BuildProgress implements AutoCloseable {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final String label;
    private final long start = System.nanoTime();
    private final Thread ticker;
    private final boolean terminal = System.console() != null;
    private volatile String phase = "starting";
    private volatile boolean done;
    private String printedPhase;

    BuildProgress(PrintStream out, String label) {
        this.out = out;
        this.label = label;
        this.ticker = new Thread(this::tick, "vitrt-build-progress");
        this.ticker.setDaemon(true);
        this.ticker.start();
    }

    /** A TensorRT info message: becomes the shown phase. */
    void phase(String message) {
        String m = message.replaceAll("\\s+", " ").trim();
        phase = m.length() > 60 ? m.substring(0, 57) + "..." : m;
    }

    private void tick() {
        int step = 0;
        while (!done) {
            draw(step++);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void draw(int step) {
        if (done) {
            return;
        }
        if (!terminal) { // logs get a line per phase instead of a redrawn bar
            if (!phase.equals(printedPhase)) {
                out.println(label + " " + elapsed() + "  " + phase);
                out.flush();
                printedPhase = phase;
            }
            return;
        }
        StringBuilder bar = new StringBuilder();
        int pos = step % (2 * WIDTH - 2);
        int at = pos < WIDTH ? pos : 2 * WIDTH - 2 - pos;
        for (int i = 0; i < WIDTH; i++) {
            bar.append(Math.abs(i - at) <= 2 ? '=' : ' ');
        }
        out.print("\r" + label + " [" + bar + "] " + elapsed() + "  " + phase + "\033[K");
        out.flush();
    }

    private String elapsed() {
        Duration d = Duration.ofNanos(System.nanoTime() - start);
        return String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    /** Stops the ticker and ends the line with the total time. */
    @Override
    public synchronized void close() {
        if (done) {
            return;
        }
        done = true;
        ticker.interrupt();
        out.println((terminal ? "\r" : "") + label + " done in " + elapsed() + (terminal ? "\033[K" : ""));
        out.flush();
    }
}
