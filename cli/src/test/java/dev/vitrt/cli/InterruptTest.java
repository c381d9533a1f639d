package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on real {@code vitrt} processes: exit 130, nothing left in the working or temporary directory (no hidden
 * {@code .NAME.<n>.tmp}, no ONNX Runtime profile folder with its model copy, no extracted native libraries), and never
 * a JVM crash ({@code hs_err_pid*.log}), which ONNX Runtime's shutdown hook caused on about one interrupt in five.
 * Also a command line of 12 KB, which crashed the JVM (exit 139) when ONNX Runtime started.
 */
class InterruptTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void signalsCanBeReset() {
        assumeTrue(VitrtProcess.canResetSignals(), "needs env --default-signal (GNU coreutils 8.31+)");
    }

    @Test
    void anInterruptedExportLeavesNoHalfWrittenFile() throws Exception {
        try (VitrtProcess p = VitrtProcess.start(dir, List.of(), "export", "nextvit_small", "-o", "out.onnx")) {
            assertTrue(p.awaitFile(dir, n -> n.startsWith(".out.onnx.") && n.endsWith(".tmp")), p.output());
            Thread.sleep(200); // into the write
            p.interrupt();
            assertEquals(130, p.exitCode(), p.output());
            assertTrue(p.output().contains("interrupted"), p.output());
            assertEquals(List.of("tmp"), VitrtProcess.contents(dir), "left behind");
        }
    }

    @Test
    void aLongCommandLineRunsInsteadOfCrashing() throws Exception {
        try (VitrtProcess p = VitrtProcess.start(dir, List.of("-Dvitrt.padding=" + "p".repeat(12_000)), "profile",
                "mobilevitv2_050", "--input-size", "64", "--backend", "onnxruntime", "--warmup", "1", "--iterations",
                "1")) {
            assertEquals(0, p.exitCode(), p.output());
            assertTrue(p.output().contains("throughput"), p.output());
        }
    }

    @Test
    void interruptedProfilesLeaveNothingAndNeverCrash() throws Exception {
        Random random = new Random(17);
        for (int i = 0; i < 2; i++) {
            Path run = Files.createDirectory(dir.resolve("run" + i));
            try (VitrtProcess p = VitrtProcess.start(run, List.of(), "profile", "mobilevitv2_050", "--input-size",
                    "128", "--backend", "onnxruntime", "--warmup", "1", "--iterations", "100000")) {
                // the profiled session exists (with ONNX Runtime's copy of the optimized model): interrupt a run
                assertTrue(p.awaitFile(p.tmp, n -> n.startsWith("vitrt-ort-profile")), p.output());
                Thread.sleep(random.nextInt(400));
                p.interrupt();
                assertEquals(130, p.exitCode(), p.output());
                assertEquals(List.of("tmp"), VitrtProcess.contents(run), "left in the working directory");
                assertEquals(List.of(), VitrtProcess.contents(p.tmp), "left in the temporary directory");
            }
        }
    }
}
