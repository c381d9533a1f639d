package dev.vitrt.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Where the libraries' {@link System.Logger} messages go in the command line: one line each on stderr
 * ({@code vitrt: warning: [TensorRT] ...}), warnings and errors by default, debug detail with {@code --verbose}.
 * TensorRT's own errors are left to the command's error line, which carries them, unless {@code --verbose}.
 */
final class CliLogging {
    private CliLogging() {
    }

    static void install(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler h = new ConsoleHandler(); // stderr
        h.setLevel(Level.ALL);
        h.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                return "vitrt: " + levelName(r.getLevel()) + ": " + formatMessage(r) + System.lineSeparator();
            }
        });
        if (!verbose) {
            h.setFilter(r -> !(r.getLevel().intValue() >= Level.SEVERE.intValue()
                    && "dev.vitrt.tensorrt".equals(r.getLoggerName())));
        }
        root.addHandler(h);
        root.setLevel(verbose ? Level.FINE : Level.WARNING);
    }

    private static String levelName(Level l) {
        if (l.intValue() >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (l.intValue() >= Level.WARNING.intValue()) {
            return "warning";
        }
        return l.intValue() >= Level.INFO.intValue() ? "info" : "debug";
    }
}
