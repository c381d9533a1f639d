package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vitrt compare} on the CPU, Polygraphy's contract: exit 0 within tolerance, 1 beyond it (naming the output and
 * the worst element), 2 for a usage error or a model that cannot run; saved outputs compare again; and our export
 * against timm's own logits.
 */
class CompareCommandTest {
    @TempDir
    static Path dir;
    static Path fp32;

    /** mobilevitv2_050 at 64 px: small, and a real zoo graph (attention, GroupNorm, residuals). */
    @BeforeAll
    static void export() {
        fp32 = dir.resolve("a.onnx");
        CliRun r = CliRun.of("export", "mobilevitv2_050", "--input-size", "64", "-o", fp32.toString());
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void identicalExportsAgreeBitForBit() {
        Path b = dir.resolve("b.onnx");
        assertEquals(0, CliRun.of("export", "mobilevitv2_050", "--input-size", "64", "-o", b.toString()).exit());
        CliRun r = CliRun.of("compare", fp32.toString(), b.toString(), "--batch", "2", "--atol", "0", "--rtol", "0");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("output 'logits' [dtype=float32, shape=(2, 1000)]: PASSED (atol 0, rtol 0)"), r.out());
        assertTrue(r.out().contains("input [dtype=float32, shape=(2, 3, 64, 64)] seeded random"), r.out());
        assertTrue(r.out().contains("abs error: max 0, mean 0, median 0"), r.out());
        assertTrue(r.out().contains("top-1 agreement 100.0% (2 rows)"), r.out());
        assertTrue(r.out().strip().endsWith("PASSED: every output within atol 0, rtol 0"), r.out());
    }

    @Test
    void int8AgainstFp32BeyondATightToleranceNamesTheOutputAndWhere() {
        Path int8 = dir.resolve("int8.onnx");
        CliRun cal = CliRun.of("calibrate", fp32.toString(), "--data", "synthetic", "--samples", "8", "--batch", "4",
                "--held-out", "2", "--runs", "0", "-o", int8.toString());
        assertEquals(0, cal.exit(), cal.err());
        CliRun r = CliRun.of("compare", int8.toString(), fp32.toString(), "--atol", "1e-6", "--rtol", "1e-6");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("output 'logits' [dtype=float32, shape=(1, 1000)]: FAILED (atol 0.000001, rtol 0.000001)"), r.out());
        Matcher worst = Pattern.compile("elements \\(.*\\) outside \\|A-B\\| <= atol \\+ rtol\\*\\|B\\|; worst at"
                + " \\(0, (\\d+)\\): A (\\S+), B (\\S+) \\(").matcher(r.out());
        assertTrue(worst.find(), r.out());
        assertTrue(Integer.parseInt(worst.group(1)) < 1000);
        assertFalse(worst.group(2).equals(worst.group(3)), "both values, and they differ");
        assertTrue(r.out().strip().endsWith("FAILED: logits beyond atol 0.000001, rtol 0.000001"), r.out());
        assertEquals("", r.err().strip(), "a difference is a result, not an error");
    }

    @Test
    void savedOutputsCompareAgain() throws Exception {
        Path saved = dir.resolve("saved");
        Path in = dir.resolve("inputs");
        CliRun r = CliRun.of("compare", fp32.toString(), "--batch", "2", "--seed", "7", "--save-inputs", in.toString(),
                "--save-outputs", saved.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(2, Npy.read(saved.resolve("logits.npy")).dim(0));
        r = CliRun.of("compare", fp32.toString(), "--input", in.resolve("input.npy").toString(), "--load-outputs",
                saved.toString(), "--atol", "0", "--rtol", "0");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("PASSED (atol 0, rtol 0)"), r.out());
        // another input: the saved outputs no longer match
        r = CliRun.of("compare", fp32.toString(), "--batch", "2", "--seed", "8", "--load-outputs", saved.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        // two runs save one folder each
        Path both = dir.resolve("both");
        r = CliRun.of("compare", fp32.toString(), fp32.toString(), "--save-outputs", both.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(Files.isRegularFile(both.resolve("A/logits.npy")));
        assertTrue(Files.isRegularFile(both.resolve("B/logits.npy")));
    }

    @Test
    void whatCannotRunExitsTwoInOneLine() throws Exception {
        CliRun r = CliRun.of("compare", fp32.toString(), dir.resolve("missing.onnx").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.oneLineError() && r.err().contains("missing.onnx"), r.err());

        r = CliRun.of("compare", fp32.toString(), "--load-outputs", dir.resolve("nothing-saved").toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.oneLineError() && r.err().contains("nothing-saved"), r.err());

        r = CliRun.of("compare", fp32.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("nothing to compare") && r.oneLineError(), r.err());
        r = CliRun.of("compare", fp32.toString(), fp32.toString(), "--load-outputs", dir.toString());
        assertEquals(2, r.exit());
        r = CliRun.of("compare", fp32.toString(), "--backends", "onnxruntime,tensorrt,onnxruntime");
        assertEquals(2, r.exit());
        r = CliRun.of("compare", fp32.toString(), fp32.toString(), "--rtol", "-1");
        assertEquals(2, r.exit());
    }

    /** compare (exit 2) and infer (exit 1) take plans and --backend tensorrt on an .onnx: here, one line on why not. */
    @Test
    void planOrTensorRtWithoutAGpuSaysWhyInOneLine() throws Exception {
        assumeFalse(tensorRtRuns(), "TensorRT can run here");
        Path plan = dir.resolve("m.plan");
        Files.write(plan, new byte[] {1, 2, 3});
        Path x = dir.resolve("x.npy");
        Npy.write(x, FloatTensor.zeros(1, 3, 64, 64));
        Path y = dir.resolve("never.npy");
        String[][] cases = {{"compare", plan.toString(), fp32.toString()},
                {"compare", fp32.toString(), "--backends", "onnxruntime,tensorrt"},
                {"compare", fp32.toString(), plan.toString(), "--backends", "onnxruntime,auto"},
                {"infer", plan.toString(), "--input", x.toString(), "--output", y.toString()},
                {"infer", fp32.toString(), "--backend", "tensorrt", "--input", x.toString()}};
        for (String[] args : cases) {
            CliRun r = CliRun.of(args);
            assertEquals(args[0].equals("compare") ? 2 : 1, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.oneLineError(), r.err());
            String line = r.err().strip();
            assertTrue(line.startsWith("vitrt " + args[0] + ": error: ") && line.contains("TensorRT"), line);
            assertTrue(line.contains("GPU") || line.contains("TensorRT module"), "says what is missing: " + line);
            String lower = line.toLowerCase(Locale.ROOT);
            assertFalse(lower.contains("not an .onnx") || lower.contains("not an onnx"), line);
        }
        assertFalse(Files.exists(y));
    }

    /** Whether TensorRT can run here, as the runtime's one backend choice decides it. */
    static boolean tensorRtRuns() {
        try {
            Backends.choose(BackendKind.TENSORRT);
            return true;
        } catch (BackendException e) {
            return false;
        }
    }

    @Test
    void helpListsTheExitCodes() {
        CliRun r = CliRun.of("compare", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Exit codes:") && r.out().contains("outputs differ beyond tolerance")
                && r.out().contains("usage error, or a model could not be loaded or run"), r.out());
    }

    /**
     * An external reference: our export of mobilevitv2_050 with timm's checkpoint, on timm's input, against the logits
     * timm computed (../shared/fixtures/timm, made with PyTorch), within atol 1e-5 + rtol 1e-4 (the logits are about
     * 0.1 in size; the fixtures' parity bar is max|ours - timm| / max|timm| <= 1e-4).
     */
    @Test
    void ourExportAgainstTimmsOwnLogits() throws Exception {
        Path fixtures = Path.of(System.getProperty("vitrt.fixtures", "../../shared/fixtures/timm"));
        assumeTrue(Files.isRegularFile(fixtures.resolve("mobilevitv2_050.logits.npy")), "no timm fixtures");
        Path onnx = dir.resolve("timm.onnx");
        assertEquals(0, CliRun.of("export", "mobilevitv2_050", "--weights",
                fixtures.resolve("mobilevitv2_050.safetensors").toString(), "-o", onnx.toString()).exit());
        Path timm = Files.createDirectories(dir.resolve("timm-outputs"));
        FloatTensor logits = Npy.read(fixtures.resolve("mobilevitv2_050.logits.npy"));
        Npy.write(timm.resolve("logits.npy"), logits);
        CliRun r = CliRun.of("compare", onnx.toString(), "--input", fixtures.resolve("mobilevitv2_050.input.npy")
                .toString(), "--load-outputs", timm.toString(), "--atol", "1e-5", "--rtol", "1e-4");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("top-1 agreement 100.0% (2 rows)"), r.out());
        System.out.println(r.out());
    }
}
