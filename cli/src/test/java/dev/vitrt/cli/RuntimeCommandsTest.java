package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** profile, infer and compare end to end on a tiny tagged model: outputs, reports and one-line errors. */
class RuntimeCommandsTest {
    @TempDir
    static Path dir;
    static Path model;

    /** Conv stem, two "Blk" blocks (mixer conv + mlp conv + residual add), GAP + Gemm head; tagged like the zoo. */
    @BeforeAll
    static void buildModel() throws Exception {
        Random rnd = new Random(1);
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("tiny");
        g.addInput(value("input", 3, 16, 16)).addOutput(value("logits", 10));
        conv(g, rnd, "stem.conv", "input", "s", 3, 8);
        String x = "s";
        for (int b = 0; b < 2; b++) {
            String p = "stages.0.blocks." + b;
            conv(g, rnd, p + ".mixer.conv", x, p + "m", 8, 8);
            conv(g, rnd, p + ".mlp.fc", p + "m", p + "f", 8, 8);
            g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").setName(p + "/Add").addInput(x).addInput(p + "f")
                    .addOutput(p + "o"));
            x = p + "o";
        }
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("GlobalAveragePool").setName("head.pool/GlobalAveragePool")
                .addInput(x).addOutput("gp"));
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Flatten").setName("head/Flatten").addInput("gp")
                .addOutput("fl"));
        g.addInitializer(tensor("head.fc.weight", rnd, 10, 8));
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gemm").setName("head.fc/Gemm").addInput("fl")
                .addInput("head.fc.weight").addOutput("logits").addAttribute(AttributeProto.newBuilder()
                        .setName("transB").setI(1).setType(AttributeProto.AttributeType.INT)));
        OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g);
        meta(m, "vitrt.model", "tiny");
        meta(m, "vitrt.input_size", "16");
        meta(m, "vitrt.blocks", "{\"stem\":\"Stem\",\"stages.0.blocks.0\":\"Blk\",\"stages.0.blocks.1\":\"Blk\","
                + "\"head\":\"Head\"}");
        meta(m, "vitrt.parts", "{\"Blk\":{\"mixer\":\"Mixer\",\"mlp\":\"MLP\"}}");
        model = dir.resolve("tiny.onnx");
        Files.write(model, m.build().toByteArray());
    }

    @Test
    void profileShowsBlocksPartsLatencyAndWritesReports() throws Exception {
        Path json = dir.resolve("p.json");
        Path csv = dir.resolve("p.csv");
        Path html = dir.resolve("p.html");
        CliRun r = CliRun.of("profile", model.toString(), "--backend", "onnxruntime", "--batch", "2", "--warmup", "2",
                "--iterations", "10", "--threads", "1", "--json", json.toString(), "--csv", csv.toString(),
                "--html", html.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Blk") && r.out().contains("Mixer") && r.out().contains("other"), r.out());
        assertTrue(r.out().contains("p99") && r.out().contains("images/s"), r.out());
        assertTrue(r.err().contains("backend onnxruntime"), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("tiny", j.get("model").asText());
        assertEquals("onnxruntime", j.get("backend").asText());
        assertEquals("fp32", j.get("precision").asText());
        assertEquals(2, j.get("batch").asInt());
        assertEquals(16, j.get("input_size").asInt());
        assertEquals("Blk", j.get("blocks").get(1).get("type").asText());
        assertEquals(2, j.get("blocks").get(1).get("count").asInt());
        assertTrue(Files.readString(csv).startsWith("kind,name,part,count,ms,ms_per_block,share"));
        assertTrue(Files.readString(html).contains("<svg"));
    }

    @Test
    void inferWritesOutputAndReadsImages() throws Exception {
        FloatTensor x = new FloatTensor(new long[] {3, 3, 16, 16}, new float[3 * 3 * 16 * 16]);
        Path in = dir.resolve("x.npy");
        Path out = dir.resolve("y.npy");
        Npy.write(in, x);
        CliRun r = CliRun.of("infer", model.toString(), "--input", in.toString(), "--output", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("output 'logits' [dtype=float32, shape=(3, 10)]", r.out().strip(), "as compare shows a tensor");
        assertEquals(3, Npy.read(out).dim(0));
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        img.setRGB(20, 15, 0xFF8800);
        Path png = dir.resolve("a.png");
        ImageIO.write(img, "png", png.toFile());
        CliRun ri = CliRun.of("infer", model.toString(), "--image", png.toString(), "--topk", "3");
        assertEquals(0, ri.exit(), ri.err());
        assertTrue(ri.out().contains("1. class") && ri.out().contains("3. class") && !ri.out().contains("4. class"),
                ri.out());
    }

    @Test
    void compareReportsAgreement() {
        CliRun r = CliRun.of("compare", model.toString(), model.toString(), "--batch", "4", "--atol", "0", "--rtol", "0");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("abs error: max 0,") && r.out().contains("top-1 agreement 100.0% (4 rows)"), r.out());
    }

    @Test
    void badInputEndsInOneLineAndNoFiles() throws Exception {
        Path bad = dir.resolve("corrupt.onnx");
        Files.write(bad, new byte[] {8, 1, 18, 3, 'x', 'y'});
        Path json = dir.resolve("never.json");
        assertOneLineError(CliRun.of("profile", bad.toString(), "--json", json.toString()),
                "vitrt profile: error: " + bad + ": not a valid ONNX model (protobuf parsing failed)");
        CliRun zero = CliRun.of("profile", model.toString(), "--batch", "0", "--json", json.toString());
        assertEquals(2, zero.exit(), "a usage error");
        assertEquals("vitrt profile: error: Invalid value for option '--batch': 0; give 1 to 1024 images per run"
                + " (see --help)", zero.err().strip());
        assertOneLineError(CliRun.of("profile", model.toString(), "--backend", "cuda"),
                "vitrt profile: error: unknown backend 'cuda' (expected auto, onnxruntime or tensorrt)");
        Path wrongShape = dir.resolve("wrong.npy");
        Npy.write(wrongShape, FloatTensor.zeros(1, 3, 32, 32));
        Path y = dir.resolve("never.npy");
        assertOneLineError(CliRun.of("infer", model.toString(), "--input", wrongShape.toString(), "--output", y.toString()),
                "vitrt infer: error: " + wrongShape + ": input 'input': shape (1, 3, 32, 32) does not fit the model's"
                        + " (batch, 3, 16, 16)");
        Path f64 = dir.resolve("f64.npy");
        byte[] header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }          \n".getBytes(
                StandardCharsets.US_ASCII);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length + 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header);
        Files.write(f64, b.array());
        CliRun r = CliRun.of("infer", model.toString(), "--input", f64.toString(), "--output", y.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("dtype float64"), r.err());
        assertFalse(Files.exists(json) || Files.exists(y), "no output files on failure");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    private static void assertOneLineError(CliRun r, String expected) {
        assertEquals(1, r.exit(), r.out() + r.err());
        String errLines = r.err().lines().filter(l -> l.contains("error")).reduce("", (a, c) -> a + c + "\n");
        assertEquals(expected + "\n", errLines);
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    private static void meta(OnnxMl.ModelProto.Builder m, String k, String v) {
        m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v));
    }

    private static void conv(OnnxMl.GraphProto.Builder g, Random rnd, String path, String in, String out, int cin,
            int cout) {
        g.addInitializer(tensor(path + ".weight", rnd, cout, cin, 3, 3));
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Conv").setName(path + "/Conv").addInput(in)
                .addInput(path + ".weight").addOutput(out).addAttribute(AttributeProto.newBuilder().setName("pads")
                        .setType(AttributeProto.AttributeType.INTS).addInts(1).addInts(1).addInts(1).addInts(1)));
    }

    private static TensorProto tensor(String name, Random rnd, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
        long n = 1;
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        for (long i = 0; i < n; i++) {
            t.addFloatData((float) (rnd.nextGaussian() * 0.2));
        }
        return t.build();
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
    }
}
