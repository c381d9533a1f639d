package dev.vitrt.cli;

import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.BatchRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.engine.int8.Int8Calibration;
import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.PreparedModel;
import dev.vitrt.runtime.Progress;
import dev.vitrt.tensorrt.TensorRtAvailability;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-engine and profile where TensorRT meets the rest: the graph preparation they share runs on the CPU (tested
 * here on a zoo model), and where TensorRT cannot run each ends in one clear line, before any expensive work, with
 * nothing written; {@code auto} falls back to ONNX Runtime and says so.
 */
class TensorRtCommandsTest {
    @TempDir
    static Path dir;
    static Path tiny;

    /** input [batch, 3, 8, 8] -> Conv -> GlobalAveragePool -> Flatten -> logits [batch, 4]. */
    @BeforeAll
    static void tinyModel() throws Exception {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("tiny")
                .addInput(value("input", 3, 8, 8)).addOutput(value("logits", 4));
        TensorProto.Builder w = TensorProto.newBuilder().setName("conv.weight")
                .setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(4).addDims(3).addDims(1).addDims(1);
        for (int i = 0; i < 12; i++) {
            w.addFloatData(0.1f * (i - 6));
        }
        g.addInitializer(w);
        g.addNode(NodeProto.newBuilder().setOpType("Conv").setName("conv/Conv").addInput("input")
                .addInput("conv.weight").addOutput("c"));
        g.addNode(NodeProto.newBuilder().setOpType("GlobalAveragePool").setName("head/GlobalAveragePool")
                .addInput("c").addOutput("p"));
        g.addNode(NodeProto.newBuilder().setOpType("Flatten").setName("head/Flatten").addInput("p")
                .addOutput("logits"));
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17))
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("vitrt.model").setValue("tiny"))
                .build();
        tiny = dir.resolve("tiny.onnx");
        Files.write(tiny, m.toByteArray());
    }

    private static void assumeNoTensorRt() {
        assumeFalse(TensorRtAvailability.check().available(), "TensorRT is available here");
    }

    /**
     * The line says why TensorRT cannot run, as availability does: without the natives, the missing library and how to
     * get it; with them (and no GPU, or an empty libcuda.so.1), that there is no CUDA device.
     */
    private static void assertSaysWhyNot(String line, String command) {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        assertTrue(line.startsWith("vitrt " + command + ": error: "), line);
        assertTrue(line.contains("TensorRT cannot run here: "), line);
        assertTrue(line.contains(s.reason().substring("TensorRT cannot run here: ".length())), line);
        if (s.tensorRtVersion() == null) {
            assertTrue(line.matches(".*: missing .*lib[a-zA-Z_]+\\.so\\.[0-9]+.*"), "names the library: " + line);
            assertTrue(line.contains("TensorRT 11") || line.contains("NVIDIA driver"), "says how to get it: " + line);
        } else {
            assertTrue(line.contains("no CUDA device") && line.contains("NVIDIA GPU"), line);
        }
    }

    /** One error line, exit 1, no stack trace; returns the line. */
    private static String oneLineError(CliRun r) {
        assertEquals(1, r.exit(), r.out() + r.err());
        String errors = r.err().lines().filter(l -> l.contains("error:")).reduce("", (a, c) -> a + c + "\n");
        assertEquals(1, errors.lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        return errors.trim();
    }

    private static long filesIn(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void buildEngineChecksTensorRtBeforeCalibrating() throws Exception {
        assumeNoTensorRt();
        Path out = Files.createDirectory(dir.resolve("build-int8"));
        // a zoo name that does not exist: TensorRT is checked before the model is resolved or calibrated
        String line = oneLineError(CliRun.of("build-engine", "no_such_model", "--precision", "int8",
                "--calib-data", "synthetic", "--samples", "8", "-o", out.resolve("m.plan").toString()));
        assertSaysWhyNot(line, "build-engine");
        assertEquals(0, filesIn(out), "no plan, manifest or temporary file");
    }

    @Test
    void calibrationOptionsAreCheckedFirst() throws Exception {
        Path out = Files.createDirectory(dir.resolve("build-bad"));
        String plan = out.resolve("m.plan").toString();
        String line = oneLineError(CliRun.of("build-engine", tiny.toString(), "--precision", "int8",
                "--calib-data", dir.resolve("no-such-folder").toString(), "-o", plan));
        assertTrue(line.contains("is neither a folder, an .npy file nor 'synthetic'"), line);
        line = oneLineError(CliRun.of("build-engine", tiny.toString(), "--precision", "int8",
                "--calib-data", dir.resolve("missing.npy").toString(), "-o", plan));
        assertTrue(line.contains("no such .npy file"), line);
        CliRun r = CliRun.of("build-engine", tiny.toString(), "--precision", "int8", "--calib-data",
                "synthetic", "--samples", "0", "-o", plan);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("Invalid value for option '--samples': 0; give 1 to 65536 samples"), r.err());
        r = CliRun.of("build-engine", tiny.toString(), "--precision", "int8", "--calib-data",
                "synthetic", "--method", "median", "-o", plan);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("unknown calibration method 'median'"), r.err());
        assertEquals(0, filesIn(out));
    }

    /** The CPU half of build-engine on a zoo model: exported, calibrated inline, TensorRT's Q/DQ rules, runs in ORT. */
    @Test
    void preparationOfAZooModelRunsOnTheCpu() throws Exception {
        BuildOptions int8 = new BuildOptions(Precision.INT8, new BatchRange(1, 1, 2), 64, 1024, 3, null, "none", false);
        PreparedModel p = BuildEngineCommand.prepare("mobilevitv2_050", new WeightsOptions(), int8,
                new Int8Calibration("synthetic", 4, 2, CalibrationMethod.MAX, 99.99, 0), Progress.NONE);
        ModelProto q = p.graph().model();
        Map<String, TensorProto> inits = new HashMap<>();
        q.getGraph().getInitializerList().forEach(t -> inits.put(t.getName(), t));
        int qdq = 0;
        for (NodeProto n : q.getGraph().getNodeList()) {
            if (n.getOpType().equals("QuantizeLinear") || n.getOpType().equals("DequantizeLinear")) {
                qdq++;
                TensorProto zp = inits.get(n.getInput(2));
                assertEquals(TensorProto.DataType.INT8_VALUE, zp.getDataType(), n.getName());
                for (byte b : zp.getRawData().toByteArray()) {
                    assertEquals(0, b, n.getName());
                }
            }
        }
        assertTrue(qdq > 50, "Q/DQ nodes: " + qdq);
        assertEquals("mobilevitv2_050", p.graph().info().model());
        assertEquals(1000, run(q, 64).length, "runs in ONNX Runtime");

        BuildOptions fp16 = new BuildOptions(Precision.FP16, new BatchRange(1, 1, 1), 64, 1024, 3, null, "none", false);
        ModelProto h = BuildEngineCommand.prepare("mobilevitv2_050", new WeightsOptions(), fp16, null, Progress.NONE).graph().model();
        long halfWeights = h.getGraph().getInitializerList().stream()
                .filter(t -> t.getDataType() == TensorProto.DataType.FLOAT16_VALUE && t.getDimsCount() == 4).count();
        assertTrue(halfWeights > 20, "float16 conv weights: " + halfWeights);
        assertEquals(1000, run(h, 64).length);
    }

    @Test
    void profileOfAPlanWithoutTensorRtIsOneLine() throws Exception {
        assumeNoTensorRt();
        Path plan = dir.resolve("m.plan");
        Files.write(plan, new byte[] {1, 2, 3});
        Path json = dir.resolve("never.json");
        String line = oneLineError(CliRun.of("profile", plan.toString(), "--layers", "--json",
                json.toString()));
        assertSaysWhyNot(line, "profile");
        assertFalse(Files.exists(json));

        line = oneLineError(CliRun.of("profile", plan.toString(), "--backend", "onnxruntime"));
        assertTrue(line.contains("ONNX Runtime runs .onnx files; a TensorRT plan runs on the tensorrt backend"), line);
        line = oneLineError(CliRun.of("profile", dir.resolve("missing.plan").toString()));
        assertTrue(line.endsWith("no such plan file: " + dir.resolve("missing.plan")), line);
    }

    @Test
    void profileBackendTensorRtChecksBeforeExporting() throws Exception {
        assumeNoTensorRt();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countProfileTemps(tmp);
        // a real zoo name: were TensorRT checked after the export, the export would run (and leave temp files)
        String line = oneLineError(CliRun.of("profile", "mobilevitv2_050", "--backend", "tensorrt",
                "--precision", "fp16"));
        assertSaysWhyNot(line, "profile");
        line = oneLineError(CliRun.of("profile", tiny.toString(), "--backend", "tensorrt"));
        assertTrue(line.startsWith("vitrt profile: error: TensorRT backend unavailable: TensorRT cannot run here"), line);
        assertEquals(before, countProfileTemps(tmp), "no temporary engine folder made");
    }

    @Test
    void profileAutoFallsBackToOnnxRuntimeAndSaysSo() {
        assumeNoTensorRt();
        CliRun r = CliRun.of("profile", tiny.toString(), "--warmup", "1", "--iterations", "3",
                "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("vitrt profile: backend onnxruntime (auto: TensorRT unavailable (TensorRT cannot run"
                + " here"), r.err());
        assertTrue(r.out().contains("tiny on onnxruntime"), r.out());

        String line = oneLineError(CliRun.of("profile", tiny.toString(), "--layers"));
        assertTrue(line.contains("--layers lists a TensorRT engine's layers"), line);
        line = oneLineError(CliRun.of("profile", tiny.toString(), "--backend", "onnxruntime",
                "--precision", "fp16"));
        assertTrue(line.contains("--precision applies to engines built for TensorRT"), line);
    }

    private static long countProfileTemps(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("vitrt-profile-")).count();
        }
    }

    private static float[] run(ModelProto m, int size) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(m.toByteArray(), so);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[3 * size * size]),
                         new long[] {1, 3, size, size});
                 OrtSession.Result r = s.run(Map.of("input", t))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }

    private static OnnxMl.ValueInfoProto value(String name, long... dims) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) {
            s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }
}
