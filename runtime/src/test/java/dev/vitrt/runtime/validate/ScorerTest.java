package dev.vitrt.runtime.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring with models whose answers are known without running them: logits = the image's mean R, G, B (so the top-1
 * of a solid colour is its strongest channel), and the same with the classes rotated (never agrees).
 */
class ScorerTest {
    static final int SIZE = 8;

    /** input [N or fixed, 3, 8, 8] -> GlobalAveragePool -> Flatten -> (optional class permutation) -> logits [N, 3]. */
    static Path channelMeans(Path file, int fixedBatch, boolean rotate) throws IOException {
        GraphProto.Builder g = GraphProto.newBuilder().setName("means");
        g.addInput(valueInfo("input", fixedBatch, 3, SIZE, SIZE));
        g.addOutput(valueInfo("logits", fixedBatch, 3));
        g.addNode(node("GlobalAveragePool", "input", "pooled"));
        g.addNode(node("Flatten", "pooled", rotate ? "flat" : "logits"));
        if (rotate) { // logits[c] = mean[(c + 1) % 3]
            TensorProto.Builder w = TensorProto.newBuilder().setName("perm").setDataType(TensorProto.DataType.FLOAT_VALUE)
                    .addDims(3).addDims(3);
            float[] m = {0, 0, 1, 1, 0, 0, 0, 1, 0};
            for (float v : m) {
                w.addFloatData(v);
            }
            g.addInitializer(w);
            g.addNode(NodeProto.newBuilder().setOpType("MatMul").setName("perm/MatMul").addInput("flat")
                    .addInput("perm").addOutput("logits"));
        }
        ModelProto m = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g)
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("vitrt.model").setValue("means"))
                .build();
        Files.write(file, m.toByteArray());
        return file;
    }

    private static NodeProto node(String op, String in, String out) {
        return NodeProto.newBuilder().setOpType(op).setName(op).addInput(in).addOutput(out).build();
    }

    private static ValueInfoProto valueInfo(String name, int fixedBatch, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        s.addDim(fixedBatch > 0 ? TensorShapeProto.Dimension.newBuilder().setDimValue(fixedBatch)
                : TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    /** A solid image with channel {@code c} the strongest, labelled {@code label}. */
    static void solid(Path file, int c, int w, int h) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int rgb = 0x202020 | (0xE0 << (16 - 8 * c));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    static ImagePreprocessor pre() {
        return ImagePreprocessor.forModel(Map.of("vitrt.input_size", "" + SIZE, "vitrt.mean", "0,0,0",
                "vitrt.std", "1,1,1"), null);
    }

    @Test
    void topKAgreementCosineAndUnreadableFiles(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        int n = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                solid(data.resolve(c + "/" + c + "_" + i + ".png"), c, 10 + i, 9 + 2 * i);
                n++;
            }
        }
        solid(data.resolve("2/wrong.png"), 0, 12, 12);   // labelled 2, looks like class 0
        Files.writeString(data.resolve("1/broken.jpg"), "not a jpeg");
        LabelledImages images = LabelledImages.fromFolder(data, 3, null);
        assertEquals(n + 2, images.size());
        List<long[]> progress = new ArrayList<>();
        Progress p = (label, done, total) -> progress.add(new long[] {done, total});
        try (Backend a = OnnxRuntimeBackend.open(channelMeans(dir.resolve("a.onnx"), 0, false), BackendOptions.defaults());
             Backend b = OnnxRuntimeBackend.open(channelMeans(dir.resolve("b.onnx"), 4, false), BackendOptions.defaults());
             Backend r = OnnxRuntimeBackend.open(channelMeans(dir.resolve("r.onnx"), 0, true), BackendOptions.defaults())) {
            ValidationReport rep = Scorer.score(List.of(new Scorer.Model("ref", a), new Scorer.Model("fixed4", b),
                    new Scorer.Model("rotated", r)), images, pre(), new Scorer.Options(5, 3), p);
            assertEquals("means", rep.model());
            assertEquals(n + 2, rep.listed());
            assertEquals(n + 1, rep.scored());
            assertEquals(1, rep.unreadable().size());
            assertTrue(rep.unreadable().get(0).file().endsWith("broken.jpg"));
            assertTrue(rep.unreadable().get(0).reason().startsWith("cannot decode image")
                    || rep.unreadable().get(0).reason().startsWith("not an image"), rep.unreadable().get(0).reason());
            ValidationReport.Row ref = rep.rows().get(0);
            assertEquals(n + 1, ref.images());
            assertEquals(100.0 * n / (n + 1), ref.top1(), 1e-9);
            assertEquals(100.0, ref.top5(), 1e-9);
            assertTrue(Double.isNaN(ref.top1Agreement()));
            ValidationReport.Row fixed = rep.rows().get(1); // batch 5 run as padded chunks of 4: same answers
            assertEquals(ref.top1(), fixed.top1(), 1e-9);
            assertEquals(100.0, fixed.top1Agreement(), 1e-9);
            assertEquals(1.0, fixed.meanCosine(), 1e-6);
            ValidationReport.Row rot = rep.rows().get(2);
            assertEquals(0.0, rot.top1Agreement(), 1e-9);
            assertEquals(100.0 * 1 / (n + 1), rot.top1(), 1e-9); // only the mislabelled image, by accident
            assertTrue(rot.meanCosine() < 0.99);
            assertEquals(n + 2, progress.get(progress.size() - 1)[0]);
            String console = ValidationReports.console(rep);
            assertTrue(console.contains("1 unreadable images (not scored):"), console);
            JsonNode json = new ObjectMapper().readTree(ValidationReports.json(rep));
            assertEquals(3, json.get("precisions").size());
            assertTrue(json.get("precisions").get(0).get("top1_agreement").isNull());
            assertEquals(1, json.get("unreadable").size());
            String[] csv = ValidationReports.csv(rep).split("\n");
            assertEquals(4, csv.length);
            assertTrue(csv[1].startsWith("means,ref,onnxruntime," + (n + 1) + ","), csv[1]);
        }
    }

    @Test
    void aModelThatIsNotAClassifierEndsInOneLine(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        solid(data.resolve("0/a.png"), 0, 8, 8);
        // an output of [N, 3, 1, 1]: not [N, classes]
        GraphProto g = GraphProto.newBuilder().addInput(valueInfo("input", 0, 3, SIZE, SIZE))
                .addOutput(valueInfo("pooled", 0, 3, 1, 1)).addNode(node("GlobalAveragePool", "input", "pooled"))
                .build();
        Path f = dir.resolve("pool.onnx");
        Files.write(f, ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build().toByteArray());
        try (Backend a = OnnxRuntimeBackend.open(f, BackendOptions.defaults())) {
            String m = assertThrows(IllegalArgumentException.class, () -> Scorer.score(List.of(new Scorer.Model("x", a)),
                    LabelledImages.fromFolder(data, 3, null), pre(), new Scorer.Options(2, 1), Progress.NONE))
                    .getMessage();
            assertTrue(m.contains("not [N, classes]"), m);
        }
    }
}
