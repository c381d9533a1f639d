package dev.vitrt.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used by this process, all threads together (ONNX Runtime's native pool included). On a machine shared with
 * other work, wall time grows with the competition for cores while CPU time grows much less, so the two together say
 * how much of a latency is the model and how much is waiting. On Linux it sums the threads' scheduler statistics
 * ({@code /proc/self/task/N/schedstat}, nanoseconds); elsewhere it asks the JVM, whose figure may move in 10 ms steps.
 */
final class ProcessCpu {
    private static final Path TASKS = Path.of("/proc/self/task");
    private final com.sun.management.OperatingSystemMXBean os;
    private final boolean schedstat;

    ProcessCpu() {
        java.lang.management.OperatingSystemMXBean b = ManagementFactory.getOperatingSystemMXBean();
        os = b instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0 ? sun : null;
        schedstat = schedstatNanos() > 0;
    }

    boolean available() {
        return schedstat || os != null;
    }

    /** Process CPU time so far, nanoseconds (0 when unavailable). */
    long nanos() {
        if (schedstat) {
            long n = schedstatNanos();
            if (n > 0) {
                return n;
            }
        }
        return os == null ? 0 : os.getProcessCpuTime();
    }

    /** Sum of the first field (time on a CPU, ns) of every thread's schedstat; -1 when unreadable. */
    private static long schedstatNanos() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path t : tasks) {
                try {
                    String s = Files.readString(t.resolve("schedstat"));
                    int sp = s.indexOf(' ');
                    sum += Long.parseLong((sp < 0 ? s : s.substring(0, sp)).trim());
                } catch (IOException | NumberFormatException e) {
                    // a thread that ended between listing and reading: its time is no longer ours to count
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }
}
