package dev.vitrt.cli;

import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.BatchRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.PreparedGraph;
import dev.vitrt.tensorrt.TensorRtAvailability;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BuildEngineCommandTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    private static BuildEngineCommand parse(String... args) {
        BuildEngineCommand c = new BuildEngineCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    /** The builder options build-engine's flags describe. */
    private static BuildOptions options(BuildEngineCommand c) {
        return c.engine.toBuildOptions(c.precision);
    }

    @Test
    void parsesEveryOption() {
        BuildEngineCommand c = parse("m.onnx", "--precision", "fp16", "--batch", "1:8:32", "--input-size", "256",
                "--workspace", "2048", "--timing-cache", "t.cache", "--opt-level", "5",
                "--hardware-compatibility", "ampere+", "-o", "m.plan");
        BuildOptions o = options(c);
        assertEquals(Precision.FP16, o.precision());
        assertEquals(new BatchRange(1, 8, 32), o.batch());
        assertEquals(256, o.inputSize());
        assertEquals(2048, o.workspaceMiB());
        assertEquals(Path.of("t.cache"), o.timingCache());
        assertEquals(5, o.optimizationLevel());
        assertEquals("ampere+", o.hardwareCompatibility());
        assertEquals(Path.of("m.plan"), c.output);
        BuildOptions range = options(parse("b.onnx", "--precision", "fp16", "--input-size", "512x512:800x1344:1024x2048",
                "-o", "b.plan"));
        assertEquals("512:800x1344:1024x2048", range.sizes().toString());
    }

    /** Graph preparation names its parameters; build-engine says them back as its flags. */
    @Test
    void theGraphsRulesAreSaidInFlags(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("m.onnx");
        Files.copy(ModelFiles.resolve("mobilevitv2_050", ModelFiles.at(64, 1)), onnx); // a fixed batch of 1
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> PreparedGraph.prepare(onnx,
                options(parse("m.onnx", "--precision", "fp32", "--batch", "1:8:32", "-o", "m.plan"))));
        assertTrue(batch.getMessage().contains("so the batch range must be 1 (got 1:8:32)"), batch.getMessage());
        assertTrue(EngineBuildOptions.WORDS.apply(batch.getMessage()).contains("so --batch must be 1 (got 1:8:32)"));
        IllegalArgumentException qdq = assertThrows(IllegalArgumentException.class, () -> PreparedGraph.prepare(onnx,
                options(parse("m.onnx", "--precision", "int8", "-o", "m.plan"))));
        assertFalse(qdq.getMessage().contains("--"), qdq.getMessage());
        assertTrue(EngineBuildOptions.WORDS.reword(qdq).getMessage().contains("`vitrt calibrate`, or --calib-data (a"
                + " folder of images"), qdq.getMessage());
    }

    @Test
    void defaults() {
        BuildOptions o = options(parse("m.onnx", "--precision", "int8", "-o", "m.plan"));
        assertEquals(new BatchRange(1, 1, 1), o.batch());
        assertEquals(4096, o.workspaceMiB());
        assertEquals(3, o.optimizationLevel());
        assertEquals("none", o.hardwareCompatibility());
    }

    @Test
    void badValuesAreOneLineUsageErrors() {
        String[][] cases = {
                {"--batch", "8:1:32", "1 <= MIN <= OPT <= MAX"},
                {"--batch", "1:8", "MIN:OPT:MAX"},
                {"--batch", "x:8:32", "not a whole number"},
                {"--precision", "fp8", "fp32, fp16, int8"},
                {"--workspace", "0", "workspace"},
                {"--opt-level", "9", "0..5"},
                {"--hardware-compatibility", "turing", "ampere+"},
                {"--input-size", "800x1344:512x512:1024x2048", "MIN <= OPT <= MAX"},
                {"--input-size", "512:640", "MIN:OPT:MAX"},
        };
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            String[] args = c[0].equals("--precision")
                    ? new String[] {"m.onnx", c[0], c[1], "-o", "m.plan"}
                    : new String[] {"m.onnx", "--precision", "fp32", c[0], c[1], "-o", "m.plan"};
            assertEquals(2, run(concat("build-engine", args)), c[0] + " " + c[1]);
            String msg = err.toString().trim();
            assertEquals(1, msg.lines().count(), msg);
            assertTrue(msg.startsWith("vitrt build-engine: error:") && msg.contains(c[2]), msg);
        }
        err.getBuffer().setLength(0);
        assertEquals(2, run("build-engine", "m.onnx", "--precision", "fp32"));
        assertTrue(err.toString().contains("--output"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("build-engine", "m.onnx", "--precision", "fp16", "--calib-data", "synthetic", "-o", "x.plan"));
        assertTrue(err.toString().contains("--calib-data only applies to --precision int8"), err.toString());
    }

    /** Where TensorRT cannot run (every machine of this project): one line, exit 1, nothing written, no export. */
    @Test
    void withoutTensorRtEndsInOneClearLineAndWritesNothing(@TempDir Path dir) throws Exception {
        assumeFalse(TensorRtAvailability.check().available(), "TensorRT is available here");
        Path plan = dir.resolve("m.plan");
        // a zoo name that does not exist: availability must be checked before the model is resolved
        int code = run("build-engine", "no_such_model", "--precision", "fp16", "--batch", "1:8:32", "-o",
                plan.toString());
        assertEquals(1, code);
        String msg = err.toString().trim();
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.startsWith("vitrt build-engine: error: TensorRT cannot run here:"), msg);
        assertTrue(msg.contains("-Ptensorrt"), msg);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no plan, manifest or temporary file left");
        }
        assertFalse(Files.exists(plan));
    }

    private static String[] concat(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
