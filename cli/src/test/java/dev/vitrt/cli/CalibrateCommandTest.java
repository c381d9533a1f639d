package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.vitrt.models.onnx.OnnxTensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vitrt calibrate} end to end on a tiny conv model, and its bad-input paths. */
class CalibrateCommandTest {
    @TempDir
    Path dir;

    /** Conv(3->8, 3x3) + Relu + Conv(8->8, 1x1) + residual Add + GlobalAveragePool + Flatten + Gemm(8->10). */
    static OnnxMl.ModelProto tinyModel(long seed) {
        Random rnd = new Random(seed);
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("tiny");
        g.addInput(vi("input", -1, 3, 16, 16)).addOutput(vi("logits", -1, 10));
        g.addInitializer(w("stem.conv.weight", rnd, 8, 3, 3, 3)).addInitializer(w("stem.conv.bias", rnd, 8))
                .addInitializer(w("b0.conv.weight", rnd, 8, 8, 1, 1)).addInitializer(w("b0.conv.bias", rnd, 8))
                .addInitializer(w("head.fc.weight", rnd, 10, 8)).addInitializer(w("head.fc.bias", rnd, 10));
        g.addNode(n("Conv", "stem.conv/Conv", new String[] {"input", "stem.conv.weight", "stem.conv.bias"}, "s")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("pads").setType(OnnxMl.AttributeProto.AttributeType.INTS)
                        .addInts(1).addInts(1).addInts(1).addInts(1)));
        g.addNode(n("Relu", "stem.act/Relu", new String[] {"s"}, "r"));
        g.addNode(n("Conv", "b0.conv/Conv", new String[] {"r", "b0.conv.weight", "b0.conv.bias"}, "c"));
        g.addNode(n("Add", "b0/Add", new String[] {"c", "r"}, "a"));
        g.addNode(n("GlobalAveragePool", "head.pool/GlobalAveragePool", new String[] {"a"}, "p"));
        g.addNode(n("Flatten", "head/Flatten", new String[] {"p"}, "f"));
        g.addNode(n("Gemm", "head.fc/Gemm", new String[] {"f", "head.fc.weight", "head.fc.bias"}, "logits")
                .addAttribute(OnnxTensors.intAttribute("transB", 1)));
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build();
    }

    private static OnnxMl.NodeProto.Builder n(String op, String name, String[] in, String out) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
        for (String i : in) {
            b.addInput(i);
        }
        return b;
    }

    private static OnnxMl.TensorProto w(String name, Random rnd, long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * 0.3);
        }
        return OnnxTensors.floatTensor(name, dims, v);
    }

    private static OnnxMl.ValueInfoProto vi(String name, long... shape) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    private Path write(OnnxMl.ModelProto m, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, m.toByteArray());
        return p;
    }

    @Test
    void calibratesWritesTheGraphAndTheCacheAndReusesIt() throws IOException {
        Path model = write(tinyModel(1), "tiny.onnx");
        Path out = dir.resolve("q.onnx");
        Path cache = dir.resolve("calib.json");
        CliRun r = CliRun.of("calibrate", model.toString(), "--data", "synthetic", "--samples", "8", "--batch", "4",
                "--held-out", "4", "--runs", "2", "--cache", cache.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isRegularFile(out) && Files.isRegularFile(cache));
        assertTrue(r.out().contains("logit cosine"), r.out());
        assertTrue(r.out().contains("INT8/FP32"), r.out());
        OnnxMl.ModelProto q = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(out));
        assertTrue(q.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("QuantizeLinear")));
        // second run: scales come from the cache
        Files.delete(out);
        r = CliRun.of("calibrate", model.toString(), "--data", "synthetic", "--samples", "8", "--held-out", "4",
                "--runs", "0", "--cache", cache.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("using calibration cache"), r.err());
        double cos = Double.parseDouble(r.out().replaceAll("(?s).*cosine\\s+min\\s+([0-9.]+).*", "$1"));
        assertTrue(cos > 0.98, "cosine " + cos);
    }

    @Test
    void badInputEndsInOneLineAndNoOutput() throws IOException {
        Path model = write(tinyModel(1), "tiny.onnx");
        Path out = dir.resolve("q.onnx");

        CliRun r = CliRun.of("calibrate", model.toString(), "--data", "synthetic", "--samples", "0", "-o", out.toString());
        assertEquals(2, r.exit());
        assertEquals("vitrt calibrate: error: Invalid value for option '--samples': 0; give 1 to 65536 samples (see --help)",
                r.err().strip());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("broken.jpg"), "not a jpeg");
        r = CliRun.of("calibrate", model.toString(), "--data", empty.toString(), "-o", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().strip().startsWith("vitrt calibrate: error: calibration data folder"), r.err());
        assertTrue(r.err().contains("1 unreadable"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        // checked before the zoo model is exported (it was refused only after the export)
        r = CliRun.of("calibrate", "mobilevitv2_050", "--data", dir.resolve("no-such").toString(), "-o", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("is neither a folder, an .npy file nor 'synthetic'"), r.err());

        // a cache from another model
        Path other = write(tinyModel(2), "other.onnx");
        Path cache = dir.resolve("calib.json");
        assertEquals(0, CliRun.of("calibrate", other.toString(), "--data", "synthetic", "--samples", "4", "--held-out", "2",
                "--runs", "0", "--cache", cache.toString(), "-o", dir.resolve("other-q.onnx").toString()).exit());
        r = CliRun.of("calibrate", model.toString(), "--data", "synthetic", "--samples", "4", "--cache", cache.toString(),
                "-o", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("was made for another model"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        assertFalse(Files.exists(out), "no output file after bad input");
    }

    @Test
    void aCacheWithAbsurdScalesIsRefusedAndNoModelWritten() throws Exception {
        Path model = write(tinyModel(1), "tiny.onnx");
        Path cache = dir.resolve("calib.json");
        Path out = dir.resolve("q.onnx");
        assertEquals(0, CliRun.of("calibrate", model.toString(), "--data", "synthetic", "--samples", "4",
                "--held-out", "2", "--runs", "0", "--cache", cache.toString(), "-o", out.toString()).exit());
        Files.delete(out);
        com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(cache.toFile());
        String tensor = c.get("scales").fieldNames().next();
        ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("scales")).put(tensor, 1e30);
        Files.writeString(cache, c.toString());
        CliRun r = CliRun.of("calibrate", model.toString(), "--data", "synthetic", "--samples", "4", "--held-out", "2",
                "--runs", "0", "--cache", cache.toString(), "-o", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("the scale of '" + tensor + "' (1.00e+30")
                && r.err().contains("the cache is corrupt or was made on other data"), r.err());
        assertFalse(Files.exists(out), "no INT8 model");
    }

    @Test
    void aQuantizedGraphIsRefused() throws Exception {
        Path model = write(tinyModel(1), "tiny.onnx");
        Path q = dir.resolve("q.onnx");
        assertEquals(0, CliRun.of("calibrate", model.toString(), "--data", "synthetic", "--samples", "4",
                "--held-out", "2", "--runs", "0", "-o", q.toString()).exit());
        CliRun r = CliRun.of("calibrate", q.toString(), "--data", "synthetic", "--samples", "4", "-o",
                dir.resolve("qq.onnx").toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("the model is quantized already"), r.err());
    }

    @Test
    void anImageFolderWithNothingLeftToHoldOutSaysSo() throws Exception {
        Path model = write(tinyModel(1), "tiny.onnx");
        Path images = Files.createDirectory(dir.resolve("images"));
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 4; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(24, 20,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 24; x++) {
                    img.setRGB(x, y, rnd.nextInt(1 << 24));
                }
            }
            javax.imageio.ImageIO.write(img, "png", images.resolve(i + ".png").toFile());
        }
        CliRun r = CliRun.of("calibrate", model.toString(), "--data", images.toString(), "--samples", "4",
                "--held-out", "3", "--runs", "0", "-o", dir.resolve("q.onnx").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("note: the data holds no samples beyond the 4 calibration ones, so the FP32/INT8"
                + " comparison runs on 3 synthetic samples"), r.err());
        assertTrue(r.out().contains("FP32 vs INT8 on 3 held-out inputs (3 synthetic samples"), r.out());
        r = CliRun.of("calibrate", model.toString(), "--data", images.toString(), "--samples", "3", "--held-out", "3",
                "--runs", "0", "-o", dir.resolve("q.onnx").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("note: the data holds only 1 samples beyond the 3 calibration ones"), r.err());
        assertTrue(r.out().contains("FP32 vs INT8 on 1 held-out inputs (1 samples after the first 3)"),
                r.out());
    }
}
