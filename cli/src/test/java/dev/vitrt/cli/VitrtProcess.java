package dev.vitrt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real {@code vitrt} JVM (what the launcher starts), for what only a process shows: signals, exit codes, crashes,
 * files left in its working and temporary directories. Runs in {@code dir} with {@code dir/tmp} as its temporary
 * directory. SIGINT is reset to its default disposition first ({@code env --default-signal}): a test JVM started in the
 * background may ignore SIGINT, and its children would inherit that.
 */
final class VitrtProcess implements AutoCloseable {
    final Path dir;
    final Path tmp;
    private final Process process;
    private final Path log;

    private VitrtProcess(Path dir, Path tmp, Process process, Path log) {
        this.dir = dir;
        this.tmp = tmp;
        this.process = process;
        this.log = log;
    }

    /** True where {@code env --default-signal} exists (GNU coreutils 8.31+). */
    static boolean canResetSignals() {
        try {
            return new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static VitrtProcess start(Path dir, List<String> jvmOptions, String... args) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.io.tmpdir=" + tmp));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("vitrt-process-", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new VitrtProcess(dir, tmp, p, log);
    }

    /** Waits until a file in {@code where} matches (true), or the process ends or 60 s pass (false). */
    boolean awaitFile(Path where, Predicate<String> name) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end && process.isAlive()) {
            try (Stream<Path> s = Files.list(where)) {
                if (s.anyMatch(p -> name.test(p.getFileName().toString()))) {
                    return true;
                }
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    }

    /** The exit code, waiting at most 60 s (then the process is killed and -1 returned). */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** What the process wrote to stdout and stderr. */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Names under {@code where}, recursively. */
    static List<String> contents(Path where) throws IOException {
        try (Stream<Path> s = Files.walk(where)) {
            return s.filter(p -> !p.equals(where)).map(p -> where.relativize(p).toString()).sorted().toList();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(log);
    }
}
