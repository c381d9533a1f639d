package dev.vitrt.engine.int8;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.BatchRange;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.vitrt.calibration.Calibration;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.calibration.data.SyntheticData;
import dev.vitrt.calibration.qdq.NodeFilter;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.calibration.qdq.QdqTarget;
import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.PreparedGraph;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Progress;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU half of {@code build-engine}: what TensorRT would be given, checked in ONNX Runtime. INT8 graphs must follow
 * TensorRT's explicit-quantization rules (int8, zero point 0, float biases) whether they come from the ONNX Runtime
 * layout of {@code vitrt calibrate} or from calibrating here; FP16 graphs carry float16 weights.
 */
class GraphPreparationTest {
    @TempDir
    Path dir;

    private static BuildOptions opts(Precision p) {
        return new BuildOptions(p, new BatchRange(1, 2, 4), null, 256, 3, null, "none", false);
    }

    private Path write(String name, ModelProto m) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, m.toByteArray());
        return p;
    }

    @Test
    void ortLayoutIsConvertedToTensorRtRules() throws Exception {
        ModelProto fp32 = TinyCnn.model();
        ModelProto ort = Calibration.quantize(fp32, new SyntheticData(0, 8, new long[] {3, 16, 16}), 8, 4,
                CalibrationMethod.MAX, 99.99, new QdqOptions(QdqTarget.ORT, NodeFilter.none()),
                BackendOptions.defaults(), Progress.NONE).model();
        // the ORT layout breaks TensorRT's rules: uint8 zero points and int32 biases
        assertEquals("ort", meta(ort, "vitrt.qdq.target"));
        assertTrue(hasInitializerOfType(ort, TensorProto.DataType.UINT8_VALUE));
        assertTrue(hasInitializerOfType(ort, TensorProto.DataType.INT32_VALUE));
        IllegalArgumentException rule = assertThrows(IllegalArgumentException.class,
                () -> TensorRtQdq.check(ort, "ort.onnx"));
        assertTrue(rule.getMessage().startsWith("ort.onnx: node '"), rule.getMessage());

        PreparedGraph g = PreparedGraph.prepare(write("ort.onnx", ort), opts(Precision.INT8));
        ModelProto trt = g.model();
        assertEquals("tensorrt", meta(trt, "vitrt.qdq.target"));
        assertEquals("tensorrt", g.info().metadata().get("vitrt.qdq.target"), "the manifest sees the converted graph");
        assertTrue(g.notes().get(0).contains("converted"), g.notes().toString());
        assertInt8ZeroPointsOnly(trt);
        assertFalse(hasInitializerOfType(trt, TensorProto.DataType.INT32_VALUE), "biases back in float");
        // same quantization grid: the converted graph computes what the ORT one does
        float[] x = input(2);
        float[] a = run(ort, x, 2);
        float[] b = run(trt, x, 2);
        assertTrue(cosine(a, b) > 0.999, "cosine " + cosine(a, b));
    }

    @Test
    void int8CalibratesInlineInTheTensorRtLayout() throws Exception {
        Path onnx = write("fp32.onnx", TinyCnn.model());
        long[] calls = new long[1];
        PreparedGraph g = PreparedGraph.prepare(onnx, opts(Precision.INT8),
                new Int8Calibration("synthetic", 8, 4, CalibrationMethod.ENTROPY, 99.99, 0),
                (label, done, total) -> calls[0]++);
        assertTrue(calls[0] >= 2, "calibration batches reported");
        ModelProto q = g.model();
        assertTrue(TensorRtQdq.hasQdq(q));
        assertEquals("tensorrt", meta(q, "vitrt.qdq.target"));
        assertEquals("entropy", meta(q, "vitrt.calibration.method"));
        assertInt8ZeroPointsOnly(q);
        assertFalse(hasInitializerOfType(q, TensorProto.DataType.INT32_VALUE));
        assertTrue(g.notes().get(0).contains("calibrated") && g.notes().get(0).contains("8 of 8 synthetic"),
                g.notes().toString());
        float[] x = input(3);
        double cos = cosine(run(TinyCnn.model(), x, 3), run(q, x, 3));
        assertTrue(cos > 0.98, "INT8 vs FP32 cosine " + cos);
        assertArrayEquals(new long[] {1, 3, 16, 16}, g.profile().get("input")[0], "profile min shape");
        assertArrayEquals(new long[] {4, 3, 16, 16}, g.profile().get("input")[2], "profile max shape");
    }

    @Test
    void inlineCalibrationReadsImagesThroughTheRuntimePreprocessing() throws Exception {
        Path images = Files.createDirectory(dir.resolve("images"));
        Random rnd = new Random(2);
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(24, 20, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 20; y++) {
                for (int xx = 0; xx < 24; xx++) {
                    img.setRGB(xx, y, rnd.nextInt(0xFFFFFF));
                }
            }
            ImageIO.write(img, "png", images.resolve("img" + i + ".png").toFile());
        }
        Path onnx = write("fp32.onnx", TinyCnn.model());
        PreparedGraph g = PreparedGraph.prepare(onnx, opts(Precision.INT8),
                new Int8Calibration(images.toString(), 3, 2, CalibrationMethod.MAX, 99.99, 0), Progress.NONE);
        assertTrue(g.notes().get(0).contains("3 images from"), g.notes().toString());
        assertInt8ZeroPointsOnly(g.model());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreparedGraph.prepare(onnx,
                opts(Precision.INT8), new Int8Calibration(images.toString(), 4, 2, CalibrationMethod.MAX, 99.99, 0),
                Progress.NONE));
        assertTrue(e.getMessage().contains("samples 4 asks for more samples than the calibration data"),
                e.getMessage());
    }

    @Test
    void int8WithoutQdqOrWithBothIsAClearError() throws Exception {
        Path fp32 = write("fp32.onnx", TinyCnn.model());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreparedGraph.prepare(fp32, opts(Precision.INT8)));
        assertTrue(e.getMessage().contains("no QuantizeLinear/DequantizeLinear") && e.getMessage().contains(
                "`vitrt calibrate`") && e.getMessage().contains("or calibration data (a folder of images")
                && !e.getMessage().contains("--"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        ModelProto trtQdq = Calibration.quantize(TinyCnn.model(), new SyntheticData(0, 4, new long[] {3, 16, 16}), 4,
                4, CalibrationMethod.MAX, 99.99, new QdqOptions(QdqTarget.TENSORRT, NodeFilter.none()),
                BackendOptions.defaults(), Progress.NONE).model();
        Path q = write("q.onnx", trtQdq);
        e = assertThrows(IllegalArgumentException.class, () -> PreparedGraph.prepare(q, opts(Precision.INT8),
                Int8Calibration.of("synthetic"), Progress.NONE));
        assertTrue(e.getMessage().contains("already quantized"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PreparedGraph.prepare(fp32, opts(Precision.FP16),
                Int8Calibration.of("synthetic"), Progress.NONE));
        assertTrue(e.getMessage().contains("only applies to precision int8"), e.getMessage());
        // a TensorRT-layout graph is taken as is
        PreparedGraph g = PreparedGraph.prepare(q, opts(Precision.INT8));
        assertTrue(g.notes().get(0).contains("taken as is"), g.notes().toString());
    }

    @Test
    void foreignQdqGraphsBreakingTheRulesAreNamed() throws Exception {
        ModelProto ort = Calibration.quantize(TinyCnn.model(), new SyntheticData(0, 4, new long[] {3, 16, 16}), 4, 4,
                CalibrationMethod.MAX, 99.99, new QdqOptions(QdqTarget.ORT, NodeFilter.none()),
                BackendOptions.defaults(), Progress.NONE).model();
        // the same graph without the metadata saying it is an ONNX Runtime layout: not converted, so refused
        ModelProto.Builder b = ort.toBuilder().clearMetadataProps();
        for (StringStringEntryProto p : ort.getMetadataPropsList()) {
            if (!p.getKey().equals("vitrt.qdq.target")) {
                b.addMetadataProps(p);
            }
        }
        Path foreign = write("foreign.onnx", b.build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreparedGraph.prepare(foreign, opts(Precision.INT8)));
        assertTrue(e.getMessage().contains("node '") && (e.getMessage().contains("uint8")
                || e.getMessage().contains("int32")), e.getMessage());
        assertTrue(e.getMessage().contains("calibrate for QdqTarget.TENSORRT"), e.getMessage());
    }

    @Test
    void fp16CarriesFloat16WeightsAndRuns() throws Exception {
        Path onnx = write("fp32.onnx", TinyCnn.model());
        PreparedGraph g = PreparedGraph.prepare(onnx, opts(Precision.FP16));
        ModelProto m = g.model();
        TensorProto w = m.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().startsWith("stem.conv.weight")).findFirst().orElseThrow();
        assertEquals(TensorProto.DataType.FLOAT16_VALUE, w.getDataType());
        assertEquals(ElementType.FLOAT32, g.info().inputs().get(0).elementType(), "inputs stay float32");
        float[] x = input(2);
        double cos = cosine(run(TinyCnn.model(), x, 2), run(m, x, 2));
        assertTrue(cos > 0.9999, "FP16 vs FP32 cosine " + cos);
    }

    private static void assertInt8ZeroPointsOnly(ModelProto m) {
        Map<String, TensorProto> inits = new HashMap<>();
        m.getGraph().getInitializerList().forEach(t -> inits.put(t.getName(), t));
        int qdq = 0;
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (!n.getOpType().equals("QuantizeLinear") && !n.getOpType().equals("DequantizeLinear")) {
                continue;
            }
            qdq++;
            TensorProto zp = inits.get(n.getInput(2));
            assertEquals(TensorProto.DataType.INT8_VALUE, zp.getDataType(), n.getName());
            for (byte v : zp.getRawData().toByteArray()) {
                assertEquals(0, v, n.getName());
            }
        }
        assertTrue(qdq > 4, "Q/DQ nodes present: " + qdq);
    }

    private static boolean hasInitializerOfType(ModelProto m, int type) {
        return m.getGraph().getInitializerList().stream().anyMatch(t -> t.getDataType() == type);
    }

    private static String meta(ModelProto m, String key) {
        String v = null;
        for (StringStringEntryProto p : m.getMetadataPropsList()) {
            if (p.getKey().equals(key)) {
                v = p.getValue();
            }
        }
        return v;
    }

    private static float[] input(int batch) {
        Random rnd = new Random(9);
        float[] x = new float[batch * 3 * 16 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    private static float[] run(ModelProto m, float[] x, int batch) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(m.toByteArray(), so);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {batch, 3, 16, 16});
                 OrtSession.Result r = s.run(Map.of("input", t))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
