package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vitrt validate} as a user runs it, and each way bad input ends in one line. */
class ValidateCommandTest {
    static final Path TESTDATA = Path.of(System.getProperty("vitrt.testdata", "../testdata")).resolve("validation");
    @TempDir
    Path dir;

    Path tiny() throws IOException {
        Path m = dir.resolve("tiny.onnx");
        Files.write(m, CalibrateCommandTest.tinyModel(1).toByteArray());
        return m;
    }

    Path folder(String... classes) throws IOException {
        Path d = dir.resolve("data");
        int i = 0;
        for (String c : classes) {
            Files.createDirectories(d.resolve(c));
            BufferedImage img = new BufferedImage(20 + i, 18, BufferedImage.TYPE_INT_RGB);
            img.setRGB(3, 4, 0x336699 * (i + 1));
            ImageIO.write(img, "png", d.resolve(c).resolve("img" + i++ + ".png").toFile());
        }
        return d;
    }

    @Test
    void scoresTheTimmLabelledFolderAndWritesJsonAndCsv() throws IOException {
        Path json = dir.resolve("r.json");
        Path csv = dir.resolve("r.csv");
        Path labels = dir.resolve("labels.csv");
        // six rows of timm_labels.tsv as a path,label CSV, relative to --data
        List<String> rows = Files.readAllLines(TESTDATA.resolve("timm_labels.tsv")).subList(1, 7);
        Files.write(labels, Stream.concat(Stream.of("path,label"), rows.stream().map(r -> r.split("\t"))
                .map(f -> f[2] + "/" + f[0] + "," + f[1])).toList());
        CliRun r = CliRun.of("validate", "mobilevitv2_050", "--weights",
                TESTDATA.resolve("mobilevitv2_050.seed15.safetensors").toString(), "--data",
                TESTDATA.resolve("images").toString(), "--labels-csv", labels.toString(), "--batch", "4",
                "--workers", "2", "--json", json.toString(), "--csv", csv.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("mobilevitv2_050 on 6 images from " + labels), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("fp32\\s+onnxruntime\\s+6\\s+100\\.00\\s+100\\.00.*")), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(100.0, j.get("precisions").get(0).get("top1").asDouble());
        assertEquals(2, Files.readAllLines(csv).size());
        try (Stream<Path> s = Files.list(dir)) { // nothing but what was asked for
            assertEquals(List.of("labels.csv", "r.csv", "r.json"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void unreadableImagesAreNamedNotFatal() throws IOException {
        Path d = folder("0", "3", "9");
        Files.writeString(d.resolve("3/broken.jpg"), "not a jpeg");
        CliRun r = CliRun.of("validate", tiny().toString(), "--data", d.toString(), "--precision", "fp32,fp16");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("1 unreadable images (not scored):"), r.out());
        assertTrue(r.out().contains("broken.jpg: "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fp16 ")), r.out());
    }

    @Test
    void int8WithSeparateCalibrationDataScoresEveryImage() throws IOException {
        Path d = folder("0", "3", "9", "9");
        CliRun r = CliRun.of("validate", tiny().toString(), "--data", d.toString(), "--precision", "fp32,int8",
                "--calib-data", "synthetic", "--calib-samples", "4", "--calib-method", "max");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("int8 calibration: 4 synthetic samples (seed 0), max"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("int8\\s+onnxruntime\\s+4\\s.*")), r.out());
        r = CliRun.of("validate", tiny().toString(), "--data", d.toString(), "--precision", "int8", "--calib-data",
                dir.resolve("nowhere").toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("is neither a folder, an .npy file nor 'synthetic'"), r.err());
    }

    @Test
    void foldersNamedByTheGraphsClassNames() throws IOException {
        Path m = dir.resolve("named.onnx");
        StringBuilder names = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            names.append(i == 0 ? "" : ",").append("\"class ").append(i).append('"');
        }
        Files.write(m, CalibrateCommandTest.tinyModel(1).toBuilder().addMetadataProps(ai.onnx.proto.OnnxMl
                .StringStringEntryProto.newBuilder().setKey("vitrt.class_names").setValue(names + "]")).build()
                .toByteArray());
        Path d = folder("class 3", "class 7", "2");
        CliRun r = CliRun.of("validate", m.toString(), "--data", d.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("on 3 images"), r.out());
        r = CliRun.of("validate", m.toString(), "--data", folder("class 12").toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("class folder 'class 12' is neither a class index (0-9) nor a"
                + " class name of the model"), r.err());
    }

    @Test
    void badFoldersAndLabelsEndInOneLine() throws IOException {
        Path model = tiny();
        // checked before the zoo model is exported (it was refused only after the export)
        CliRun r = CliRun.of("validate", "mobilevitv2_050", "--data", dir.resolve("no-such").toString());
        assertEquals(1, r.exit());
        assertEquals("vitrt validate: error: no such image folder: " + dir.resolve("no-such"), r.err().strip());
        r = CliRun.of("validate", "mobilevitv2_050", "--labels-csv", dir.resolve("no.csv").toString());
        assertTrue(r.oneLineError() && r.err().contains("no such labels CSV"), r.err());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        r = CliRun.of("validate", model.toString(), "--data", empty.toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("is empty"), r.err());
        Path flat = Files.createDirectories(dir.resolve("flat"));
        Files.write(flat.resolve("a.png"), new byte[] {1});
        r = CliRun.of("validate", model.toString(), "--data", flat.toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("has no class subfolders"), r.err());
        r = CliRun.of("validate", model.toString(), "--data", folder("0", "10").toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("class folder '10' is outside the model's 10 classes (0-9)"),
                r.err());
    }

    @Test
    void badOptionsAreUsageErrorsAndInputsAreNeverOverwritten() throws IOException {
        Path model = tiny();
        Path d = folder("1");
        for (String[] args : new String[][] {{"--batch", "0"}, {"--workers", "0"}, {"--precision", "fp64"},
                {"--calib-samples", "0"}, {"--batch", "100000"}}) {
            CliRun r = CliRun.of(Stream.concat(Stream.of("validate", model.toString(), "--data", d.toString()),
                    Stream.of(args)).toArray(String[]::new));
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.oneLineError(), r.err());
        }
        CliRun r = CliRun.of("validate", model.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("give --data DIR"), r.err());
        byte[] before = Files.readAllBytes(model);
        r = CliRun.of("validate", model.toString(), "--data", d.toString(), "--json", model.toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("is the same file as MODEL"), r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(model)));
        r = CliRun.of("validate", model.toString(), "--data", d.toString(), "--json", dir.resolve("x").toString(),
                "--csv", dir.resolve("x").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("name the same file"), r.err());
        r = CliRun.of("validate", model.toString(), "--data", d.toString(), "--json",
                dir.resolve("missing/r.json").toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("output directory does not exist"), r.err());
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
