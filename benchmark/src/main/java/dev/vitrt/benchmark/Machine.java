package dev.vitrt.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What this machine is and how busy it is, for the reports' method notes (Linux /proc; "unknown" elsewhere). */
public final class Machine {
    private Machine() {
    }

    /** The CPU model name and the number of processors the JVM may use. */
    public static String cpu() {
        String name = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    name = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the name stays unknown
        }
        return name + ", " + Runtime.getRuntime().availableProcessors() + " logical CPUs";
    }

    /** The 1-minute load average, or NaN when unknown. */
    public static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * The 1-minute load average as the kernel writes it and the core count, e.g. {@code load average 0.52 on 2
     * cores}, to print beside figures measured on a shared machine.
     */
    public static String loadLine() {
        try {
            String avg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
            return "load average " + avg + " on " + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors() + " cores (load average unknown)";
        }
    }

    /** The load average as text for notes. */
    public static String loadText(double load) {
        return Double.isNaN(load) || load < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", load);
    }
}
