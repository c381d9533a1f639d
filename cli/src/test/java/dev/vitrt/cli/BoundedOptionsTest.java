package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Numbers out of range are usage errors (exit 2) in one line before any work: a NaN or negative tolerance, more
 * threads than cores (100,000 hung ONNX Runtime), a batch that overflows the input tensor.
 */
class BoundedOptionsTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void toleranceMustBeAFiniteNumberZeroOrMore() {
        usage(CliRun.of("compare", "a.onnx", "b.onnx", "--rtol", "-1"),
                "vitrt compare: error: Invalid value for option '--rtol': -1; give a finite number, 0 or more (e.g."
                        + " 1e-4) (see --help)");
        usage(CliRun.of("compare", "a.onnx", "b.onnx", "--rtol", "NaN"),
                "vitrt compare: error: Invalid value for option '--rtol': NaN; give a finite number, 0 or more (e.g."
                        + " 1e-4) (see --help)");
        usage(CliRun.of("compare", "a.onnx", "b.onnx", "--rtol", "Infinity"),
                "vitrt compare: error: Invalid value for option '--rtol': Infinity; give a finite number, 0 or more"
                        + " (e.g. 1e-4) (see --help)");
    }

    @Test
    void threadsAreBoundedByTheCores() {
        String expected = "Invalid value for option '--threads': 100000; give 0 (one per core) to " + CORES
                + ", the cores of this machine (see --help)";
        usage(CliRun.of("profile", "mobilevitv2_050", "--threads", "100000"), "vitrt profile: error: " + expected);
        usage(CliRun.of("infer", "mobilevitv2_050", "--input", "x.npy", "--threads", "100000"),
                "vitrt infer: error: " + expected);
        usage(CliRun.of("reproduce", "nextvit-models", "--threads", "100000"), "vitrt reproduce: error: " + expected);
        usage(CliRun.of("profile", "mobilevitv2_050", "--threads", "-1"), "vitrt profile: error: Invalid value for"
                + " option '--threads': -1; give 0 (one per core) to " + CORES + ", the cores of this machine (see --help)");
    }

    @Test
    void batchesAreBounded() {
        String expected = "Invalid value for option '--batch': 100000; give 1 to 1024 images per run (see --help)";
        usage(CliRun.of("profile", "mobilevitv2_050", "--batch", "100000"), "vitrt profile: error: " + expected);
        usage(CliRun.of("compare", "a.onnx", "b.onnx", "--batch", "100000"), "vitrt compare: error: " + expected);
        usage(CliRun.of("calibrate", "mobilevitv2_050", "--data", "synthetic", "--batch", "100000", "-o", "q.onnx"),
                "vitrt calibrate: error: " + expected);
        usage(CliRun.of("export", "mobilevitv2_050", "--batch", "100000", "-o", "m.onnx"), "vitrt export: error: "
                + expected);
        usage(CliRun.of("build-engine", "mobilevitv2_050", "--precision", "fp16", "--batch", "1:8:100000", "-o",
                "m.plan"), "vitrt build-engine: error: Invalid value for option '--batch': 1:8:100000; the largest batch"
                + " is 1024 (see --help)");
        usage(CliRun.of("profile", "mobilevitv2_050", "--batch", "99999999999"), "vitrt profile: error: Invalid value"
                + " for option '--batch': 99999999999 is too large (see --help)");
        usage(CliRun.of("profile", "mobilevitv2_050", "--input-size", "100000"), "vitrt profile: error: Invalid value"
                + " for option '--input-size': 100000; give 1 to 4096 pixels (see --help)");
    }

    @Test
    void opsetsSamplesFamiliesAndPreferredBatchesAreUsageErrors() {
        usage(CliRun.of("export", "mobilevitv2_050", "--opset", "12", "-o", "m.onnx"), "vitrt export: error: Invalid"
                + " value for option '--opset': 12; give 13 to 21 (see --help)");
        usage(CliRun.of("calibrate", "mobilevitv2_050", "--data", "synthetic", "--samples", "100000000", "-o",
                "q.onnx"), "vitrt calibrate: error: Invalid value for option '--samples': 100000000; give 1 to 65536"
                + " samples (see --help)");
        CliRun family = CliRun.of("models", "--family", "nosuch");
        assertEquals(2, family.exit(), family.err());
        assertTrue(family.oneLineError() && family.err().contains("unknown family 'nosuch'; the zoo's: ")
                && family.err().contains("nextvit") && family.err().contains("mobilevitv2"), family.err());
        assertEquals("", family.out(), "nothing listed");
        usage(CliRun.of("triton-export", "m.onnx", "--repository", "r", "--preferred-batch", "0"),
                "vitrt triton-export: error: Invalid value for option '--preferred-batch' (N): 0; give 1 or"
                        + " more (see --help)");
        usage(CliRun.of("triton-export", "m.onnx", "--repository", "r", "--preferred-batch", "9", "--max-batch",
                "8"), "vitrt triton-export: error: --preferred-batch 9 is outside 1..8 (--max-batch) (see --help)");
    }

    private static void usage(CliRun r, String expected) {
        assertEquals(2, r.exit(), r.err());
        assertEquals(expected, r.err().strip());
    }
}
