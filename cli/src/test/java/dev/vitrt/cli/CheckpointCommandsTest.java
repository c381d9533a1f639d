package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export, models --tags and infer with PyTorch checkpoints (the models module's fixtures/checkpoints). */
class CheckpointCommandsTest {
    private static final Path FIXTURES = Path.of("../models/src/test/resources/fixtures/checkpoints");

    @TempDir
    Path dir;

    private Path unpack(String name) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(FIXTURES.resolve(name + ".gz")))) {
            Files.copy(in, out);
        }
        return out;
    }

    @Test
    void aFineTunedHeadExportsWithItsOwnSizeAndNamesItsLabels() throws Exception {
        Path ckpt = unpack("mobilevitv2_050_10class.pth");
        Path out = dir.resolve("m.onnx");
        CliRun r = CliRun.of("export", "mobilevitv2_050", "--weights", ckpt.toString(), "--input-size", "64", "-o",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("from weights mobilevitv2_050_10class.pth (PyTorch, timm layout); 10 classes"),
                r.err());
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(out.toString(), new OrtSession.SessionOptions())) {
            long[] shape = ((TensorInfo) s.getOutputInfo().get("logits").getInfo()).getShape();
            assertEquals(10, shape[1]);
        }
        Path labels = Files.writeString(dir.resolve("labels.txt"), "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\n"
                + "eight\nnine\n");
        BufferedImage img = new BufferedImage(70, 60, BufferedImage.TYPE_INT_RGB);
        img.setRGB(30, 20, 0x3366FF);
        Path png = dir.resolve("a.png");
        ImageIO.write(img, "png", png.toFile());
        CliRun named = CliRun.of("infer", out.toString(), "--image", png.toString(), "--labels", labels.toString(),
                "--top", "10");
        assertEquals(0, named.exit(), named.err());
        for (String n : new String[] {"zero", "five", "nine"}) {
            assertTrue(named.out().contains(" " + n + " "), named.out());
        }
        CliRun wrong = CliRun.of("infer", out.toString(), "--image", png.toString(), "--labels",
                Files.writeString(dir.resolve("three.txt"), "a\nb\nc\n").toString());
        assertEquals(1, wrong.exit());
        assertTrue(wrong.oneLineError() && wrong.err().contains("--labels has 3 names but the model has 10 classes"),
                wrong.err());
    }

    @Test
    void exportSaysWhichLayoutAndWeightsItTook() throws Exception {
        Path out = dir.resolve("m.onnx");
        CliRun r = CliRun.of("export", "mobilevitv2_050.cvnets_in1k", "--weights",
                unpack("mobilevitv2_050_cvnets.pt").toString(), "--input-size", "64", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().startsWith("exported mobilevitv2_050.cvnets_in1k from weights mobilevitv2_050_cvnets.pt"
                + " (PyTorch, Apple ml-cvnets layout); 1000 classes"), r.err());

        Path train = unpack("mobilevitv2_050_train.pth.tar");
        CliRun ema = CliRun.of("export", "mobilevitv2_050", "--weights", train.toString(), "--input-size", "64", "-o",
                out.toString());
        assertTrue(ema.err().contains("EMA weights 'state_dict_ema' (raw weights in 'state_dict')"), ema.err());
        CliRun raw = CliRun.of("export", "mobilevitv2_050", "--weights", train.toString(), "--no-ema",
                "--input-size", "64", "-o", out.toString());
        assertTrue(raw.err().contains("weights 'state_dict' (EMA weights in 'state_dict_ema')"), raw.err());

        CliRun reset = CliRun.of("export", "mobilevitv2_050", "--weights", train.toString(), "--num-classes", "37",
                "--input-size", "64", "-o", out.toString());
        assertTrue(reset.err().contains("37 classes (new classifier, randomly initialised: the checkpoint's has 1000)"),
                reset.err());
    }

    @Test
    void anUnsafeOrDamagedCheckpointIsOneLineAndWritesNothing() throws Exception {
        Path out = dir.resolve("m.onnx");
        CliRun evil = CliRun.of("export", "mobilevitv2_050", "--weights", unpack("evil.pth").toString(), "-o",
                out.toString());
        assertEquals(1, evil.exit());
        assertTrue(evil.oneLineError() && evil.err().startsWith("vitrt export: error: evil.pth: refused: its pickle"
                + " calls posix.system"), evil.err());
        CliRun shortStorage = CliRun.of("export", "mobilevitv2_050", "--weights", unpack("short_storage.pth").toString(),
                "-o", out.toString());
        assertEquals(1, shortStorage.exit());
        assertTrue(shortStorage.oneLineError() && shortStorage.err().contains("truncated or damaged"), shortStorage.err());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(Path.of("/tmp/vitrt-pickle-pwned")));
    }

    @Test
    void modelsListsPretrainedTags() throws Exception {
        CliRun r = CliRun.of("models", "--tags", "--json", "--family", "mobilevitv2");
        assertEquals(0, r.exit(), r.err());
        JsonNode arr = new ObjectMapper().readTree(r.out());
        assertEquals(13, arr.size());
        JsonNode t = null;
        for (JsonNode n : arr) {
            if (n.get("name").asText().equals("mobilevitv2_175.cvnets_in22k_ft_in1k_384")) {
                t = n;
            }
        }
        assertEquals(384, t.get("input_size").asInt());
        assertEquals(1.0, t.get("crop_pct").asDouble());
        assertEquals("timm/mobilevitv2_175.cvnets_in22k_ft_in1k_384", t.get("hub").asText());
        CliRun text = CliRun.of("models", "--tags");
        assertTrue(text.out().contains("nextvit_small.bd_ssld_6m_in1k_384") && text.out().contains("resnet50.tv_in1k"),
                text.out());
    }
}
