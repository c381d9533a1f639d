package dev.vitrt.engine.validate;

import dev.vitrt.runtime.Precision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.validate.ValidationReport;
import dev.vitrt.runtime.validate.ValidationReports;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bar on images whose labels are timm's own top-1 predictions (timm's eval transform, PIL) for a seeded
 * mobilevitv2_050 (testdata/validation/README.md): timm scores 100% there by construction, so VitRT's FP32 top-1 says
 * how often preprocessing and model agree with timm image by image (bar 97.5%), and FP16's how often the FP16 lowering
 * keeps timm's answer (bar 90%).
 */
class ValidationTest {
    static final Path TESTDATA = Path.of(System.getProperty("vitrt.testdata", "../testdata")).resolve("validation");
    static final Path IMAGES = TESTDATA.resolve("images");
    @TempDir
    static Path tmp;
    static Path fp32;

    @BeforeAll
    static void export() throws IOException {
        ExportedModel m = Exporter.export("mobilevitv2_050", ExportOptions.defaults()
                .withWeights(TESTDATA.resolve("mobilevitv2_050.seed15.safetensors")));
        fp32 = tmp.resolve("mobilevitv2_050.onnx");
        try (OutputStream out = Files.newOutputStream(fp32)) {
            OnnxWriter.write(m.graph(), out);
        }
    }

    static Validation.Options options(List<Precision> p, int limit, int calibSamples) {
        return new Validation.Options(p, 16, 2, limit, BackendKind.ONNXRUNTIME, BackendOptions.defaults(), null, null,
                calibSamples, CalibrationMethod.MSE, 99.99);
    }

    @Test
    void fp32AndFp16AgreeWithTimmImageByImage() throws Exception {
        ValidationReport r = Validation.run(fp32, new Validation.Data(IMAGES, null, null),
                options(List.of(Precision.FP32, Precision.FP16), 0, 64), Progress.NONE);
        System.out.print(ValidationReports.console(r));
        assertEquals(80, r.scored());
        ValidationReport.Row f32 = r.rows().get(0);
        ValidationReport.Row f16 = r.rows().get(1);
        assertEquals("fp32", f32.precision());
        assertTrue(f32.top1() >= 97.5, "fp32 top-1 " + f32.top1() + " < 97.5");
        assertTrue(f16.top1() >= 90.0, "fp16 top-1 " + f16.top1() + " < 90");
        assertTrue(f16.meanCosine() > 0.999, "fp16 logit cosine " + f16.meanCosine());
        assertTrue(r.heldOut() == null);
    }

    @Test
    void int8CalibratesOnASliceThatIsNeverScored() throws Exception {
        ValidationReport r = Validation.run(fp32, new Validation.Data(IMAGES, null, null),
                options(List.of(Precision.FP32, Precision.INT8), 24, 8), Progress.NONE);
        System.out.print(ValidationReports.console(r));
        assertEquals(16, r.scored());
        assertEquals(List.of("fp32", "int8"), r.rows().stream().map(ValidationReport.Row::precision).toList());
        assertTrue(r.heldOut().startsWith("8 images from "), r.heldOut());
        assertTrue(r.heldOut().contains("held out of 24 (never scored)"), r.heldOut());
        assertTrue(r.rows().get(1).meanCosine() > 0 && r.rows().get(1).meanCosine() <= 1.000001);
        String m = assertThrows(IllegalArgumentException.class, () -> Validation.run(fp32,
                new Validation.Data(IMAGES, null, null), options(List.of(Precision.INT8), 10, 8), Progress.NONE))
                .getMessage();
        assertTrue(m.startsWith("INT8 calibration would hold out 8 of the 10 images"), m);
    }

    @Test
    void aQuantizedGraphIsValidatedAsItIs() throws Exception {
        Path int8 = tmp.resolve("m.int8.onnx");
        Files.write(int8, dev.vitrt.calibration.Calibration.quantize(dev.vitrt.models.onnx.OnnxModels.read(fp32),
                new dev.vitrt.calibration.data.SyntheticData(0, 2, new long[] {3, 256, 256}), 2, 2, CalibrationMethod.MAX,
                99.99, dev.vitrt.calibration.qdq.QdqOptions.defaults(), BackendOptions.defaults(), Progress.NONE)
                .model().toByteArray());
        String m = assertThrows(IllegalArgumentException.class, () -> Validation.run(int8,
                new Validation.Data(IMAGES, null, null), options(List.of(Precision.FP32, Precision.FP16), 4, 8),
                Progress.NONE)).getMessage();
        assertTrue(m.endsWith("is already an INT8 graph; validate it as int8 alone, or give its FP32 graph to compare"
                + " precisions"), m);
        ValidationReport r = Validation.run(int8, new Validation.Data(IMAGES, null, null), options(List.of(), 4, 8),
                Progress.NONE);
        assertEquals(List.of("int8"), r.rows().stream().map(ValidationReport.Row::precision).toList());
        assertEquals(4, r.scored());
    }
}
