package dev.vitrt.cli;

import dev.vitrt.runtime.BuildListener;
import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.EngineBuilder;
import dev.vitrt.engine.trt.PreparedGraph;
import dev.vitrt.tensorrt.TensorRtUnavailableException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The engine build's progress line on stderr: a moving bar, the elapsed time and the build's phases in progress
 * (TensorRT's progress monitor, {@link BuildListener#progress}; its latest info message where the monitor says
 * nothing). With {@code --trt-verbose} TensorRT's info and verbose lines are printed as they come.
 */
final class EngineBuildProgress implements BuildListener, AutoCloseable {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final String label;
    private final long startNs = System.nanoTime();
    private final Thread ticker;
    private final boolean terminal = System.console() != null;
    private volatile String phase = "starting";
    private volatile boolean monitored;
    private volatile boolean done;
    private boolean started;
    private String printedPhase;

    private final boolean verbose;

    EngineBuildProgress(PrintStream out, String label, boolean verbose) {
        this.out = out;
        this.label = label;
        this.verbose = verbose;
        this.ticker = new Thread(this::tick, "vitrt-build-progress");
        this.ticker.setDaemon(true);
    }

    /** Starts the line at the build's first message (TensorRT's messages come from the build's thread). */
    private synchronized void start() {
        if (!started && !done) {
            started = true;
            ticker.start();
        }
    }

    /** Builds a prepared graph with this progress line on stderr. */
    static EngineBuilder.Built build(PreparedGraph graph, Path source, BuildOptions o, Path plan)
            throws IOException, TensorRtUnavailableException {
        String label = "building " + graph.info().model() + " " + o.precision().label();
        try (EngineBuildProgress progress = new EngineBuildProgress(System.err, label, o.verbose())) {
            progress.start();
            return EngineBuilder.build(graph, source, o, plan, progress);
        }
    }

    /** A TensorRT info message becomes the shown phase; with verbose, info and verbose lines are printed. */
    @Override
    public void message(String severity, String text) {
        start();
        if (verbose && (severity.equals("info") || severity.equals("verbose"))) {
            synchronized (this) {
                out.println((terminal ? "\r\033[K" : "") + "[TensorRT] " + text);
            }
        }
        if (severity.equals("info") && !monitored) {
            show(text);
        }
    }

    @Override
    public void progress(String phases) {
        start();
        monitored = true;
        show(phases);
    }

    private void show(String text) {
        String m = text.replaceAll("\\s+", " ").trim();
        phase = m.length() > 72 ? "..." + m.substring(m.length() - 69) : m;
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
        Duration d = Duration.ofNanos(System.nanoTime() - startNs);
        return String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    /** Stops the ticker and ends the line with the total time. */
    @Override
    public synchronized void close() {
        if (done) {
            return;
        }
        done = true;
        if (!started) {
            return;
        }
        ticker.interrupt();
        out.println((terminal ? "\r" : "") + label + " done in " + elapsed() + (terminal ? "\033[K" : ""));
        out.flush();
    }
}
