package dev.vitrt.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the command line in-process, capturing exit code, stdout and stderr (picocli's and the process's). */
record CliRun(int exit, String out, String err) {

    static synchronized CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringWriter picoOut = new StringWriter();
        StringWriter picoErr = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(picoOut, true));
            cl.setErr(new PrintWriter(picoErr, true));
            int code = cl.execute(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8) + picoOut,
                    err.toString(StandardCharsets.UTF_8) + picoErr);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The error output is one line (no stack trace). */
    boolean oneLineError() {
        return err.strip().lines().count() == 1 && !err.contains("\tat ");
    }
}
