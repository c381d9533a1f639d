package dev.vitrt.runtime.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.testing.TinyModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process whose command line is long (a long path, many image files, long JVM options) used to crash (SIGSEGV, exit
 * 139) when ONNX Runtime created its environment on the 1 MiB main-thread stack. Runs a real JVM with 16 KB of
 * arguments and JVM options that loads a model and runs it.
 */
class LongCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void aModelLoadsAndRunsFromAProcessWithALongCommandLine() throws Exception {
        Path model = TinyModels.taggedCnn(dir.resolve("tiny.onnx"), 16, 4, 10, true);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dvitrt.padding=" + "p".repeat(8192)); // JVM options count: they are in /proc/self/cmdline too
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RunOnce.class.getName());
        cmd.add(model.toString());
        for (int i = 0; i < 80; i++) {
            cmd.add("/images/" + "x".repeat(90) + i + ".jpg");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes());
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "timed out: " + out);
        assertEquals(0, p.exitValue(), "exit " + p.exitValue() + " (139 is SIGSEGV): " + out);
        assertTrue(out.contains("ran (2, 10)"), out);
    }

    /** Opens the model given as the first argument and runs it once; the other arguments only make the line long. */
    public static final class RunOnce {
        public static void main(String[] args) throws Exception {
            try (OnnxRuntimeBackend b = OnnxRuntimeBackend.open(Path.of(args[0]), BackendOptions.defaults())) {
                FloatTensor x = new FloatTensor(new long[] {2, 3, 16, 16}, new float[2 * 3 * 16 * 16]);
                FloatTensor y = b.run(Map.of("input", x)).get("logits");
                System.out.println("ran " + FloatTensor.shapeString(y.shape()));
            }
        }
    }
}
