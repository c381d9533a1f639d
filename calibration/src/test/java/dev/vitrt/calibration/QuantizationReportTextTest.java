package dev.vitrt.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The report's text, as {@code vitrt calibrate} prints it and a Java caller can log it. */
class QuantizationReportTextTest {
    @Test
    void accuracyAndLatencyReadAsLines() {
        QuantizationReport r = new QuantizationReport(16, 0.98765, 0.99512, 0.123456, 0.9375, 0, 4.0, 2.5);
        assertEquals("""
                FP32 vs INT8 on 16 held-out inputs (16 images of data):
                  logit cosine  min 0.98765  mean 0.99512
                  max abs diff  0.12346
                  top-1 agreement 93.8%
                """.replace("\n", System.lineSeparator()), r.describeAccuracy("16 images of data"));
        assertEquals("""
                ONNX Runtime cpu, batch 1, median of 30 runs:
                  FP32 4.00 ms   INT8 2.50 ms   INT8/FP32 0.63x
                """.replace("\n", System.lineSeparator()), r.describeLatency("ONNX Runtime cpu", 30));
    }

    @Test
    void aBlocksSensitivityIsOneAlignedLine() {
        SensitivityAnalysis.BlockError e = new SensitivityAnalysis.BlockError("stages.2.blocks.4", 0.912345, 0.95, 0.5);
        assertEquals(String.format("%-40s", "stages.2.blocks.4") + " cosine 0.91235  max abs diff 0.5000", e.describe());
    }
}
