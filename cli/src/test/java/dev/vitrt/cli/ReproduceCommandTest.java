package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vitrt.tensorrt.TensorRtAvailability;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vitrt reproduce} end to end on reduced settings (one round, small inputs, a subset of rows), checking each
 * table's rows and columns and its three kinds of output, and that bad input ends in one line and a non-zero exit.
 */
class ReproduceCommandTest {
    private static final String[] REDUCED = {"--iterations", "1", "--warmup", "0", "--threads", "1"};
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    private static String[] args(Path out, String... a) {
        String[] all = Arrays.copyOf(a, a.length + REDUCED.length + 2);
        System.arraycopy(REDUCED, 0, all, a.length, REDUCED.length);
        all[all.length - 2] = "--out";
        all[all.length - 1] = out.toString();
        return all;
    }

    /** CSV rows (header first) split into cells; the reports quote no cell these tests read. */
    private static List<List<String>> csv(Path file) throws Exception {
        return Files.readAllLines(file).stream().map(l -> Arrays.asList(l.split(",", -1))).toList();
    }

    private static void assertSvg(Path file, int minPoints) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertTrue(doc.getElementsByTagName("circle").getLength() >= minPoints, file + " has too few points");
    }

    private String oneLineError() {
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), "expected one line on stderr, got: " + err);
        return lines.get(0);
    }

    @Test
    void nextVitModelsReduced(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        assertEquals(0, run(args(out, "reproduce", "nextvit-models", "--only", "nextvit_small,mobilevitv2_050",
                "--batch", "2", "--input-size", "64")), err.toString());
        List<List<String>> rows = csv(out.resolve("nextvit-models.csv"));
        assertEquals(3, rows.size());
        List<String> header = Files.readAllLines(out.resolve("nextvit-models.csv")).get(0).lines().toList();
        assertTrue(header.get(0).startsWith("model,zoo name,family,input,batch,params (M),GMACs,paper params (M),"
                + "paper GMACs,latency ms (fastest run),median ms,p10-p90 ms,min-max ms,CPU ms,CPU p10-p90 ms,"
                + "ms/image,images/s,ms per GMAC,"));
        assertEquals(List.of("MobileViTv2-0.5", "mobilevitv2_050", "mobilevitv2", "64", "2"), rows.get(1).subList(0, 5));
        assertEquals(List.of("Next-ViT-S", "nextvit_small", "nextvit", "64", "2"), rows.get(2).subList(0, 5));
        assertEquals("31.76", rows.get(2).get(5));
        assertEquals("31.7", rows.get(2).get(7)); // the paper's figure beside ours
        double median = Double.parseDouble(rows.get(2).get(9));
        assertTrue(median > 0);
        assertEquals(2 * 1000 / median, Double.parseDouble(rows.get(2).get(16)), 0.1 + 2 * 1000 / median * 0.01);
        assertEquals(median, Double.parseDouble(rows.get(2).get(12).split("-")[0]), 0.01); // fastest run = min
        String md = Files.readString(out.resolve("nextvit-models.md"));
        assertTrue(md.contains("## Findings") && md.contains("Measured order") && md.contains("iPhone 12 Pro Max")
                && md.contains("1 interleaved round(s)"), md);
        assertSvg(out.resolve("nextvit-models.svg"), 2);
    }

    @Test
    void nextVitBlocksReduced(@TempDir Path dir) throws Exception {
        assertEquals(0, run(args(dir, "reproduce", "nextvit-blocks", "--only", "nextvit_small_lsa,nextvit_small_r075",
                "--input-size", "64")), err.toString());
        List<List<String>> rows = csv(dir.resolve("nextvit-blocks.csv"));
        assertEquals(List.of("group", "variant", "zoo name", "params (M)", "GMACs", "latency ms (fastest run)",
                "median ms", "p10-p90 ms", "min-max ms", "ratio to Next-ViT-S", "CPU ms", "CPU ratio", "GMACs ratio",
                "paper TensorRT ms", "paper CoreML ms"), rows.get(0));
        // each group: the published Next-ViT-S first, then its variants
        assertEquals(5, rows.size());
        assertEquals("nextvit_small", rows.get(1).get(2));
        assertEquals("1.00x", rows.get(1).get(9));
        assertEquals("nextvit_small_lsa", rows.get(2).get(2));
        assertEquals("nextvit_small", rows.get(3).get(2));
        assertEquals("nextvit_small_r075", rows.get(4).get(2));
        assertEquals("1.00x", rows.get(4).get(12)); // r = 0.75 is the published network: same MACs
        assertTrue(Double.parseDouble(rows.get(2).get(10)) > 0); // CPU time measured
        assertEquals("", rows.get(2).get(13)); // no paper figure found: empty, not guessed
        String md = Files.readString(dir.resolve("nextvit-blocks.md"));
        assertTrue(md.contains("Noise check") && md.contains("could not be found"), md);
        assertSvg(dir.resolve("nextvit-blocks.svg"), 3);
    }

    @Test
    void mobileVitAttentionReduced(@TempDir Path dir) throws Exception {
        assertEquals(0, run(args(dir, "reproduce", "mobilevitv2-attention", "--sizes", "64,128", "--input-size",
                "64")), err.toString());
        List<List<String>> t1 = csv(dir.resolve("mobilevitv2-attention.csv"));
        assertEquals(4, t1.size());
        assertEquals(List.of("separable", "mha", "linformer"), t1.subList(1, 4).stream().map(r -> r.get(0)).toList());
        assertEquals("1.00x", t1.get(1).get(8));
        assertEquals(List.of("3.4", "9.9", "10.2"), t1.subList(1, 4).stream().map(r -> r.get(11)).toList());
        List<List<String>> sweep = csv(dir.resolve("mobilevitv2-attention-tokens.csv"));
        assertEquals(7, sweep.size()); // 3 attentions x 2 sizes
        assertEquals(List.of("separable", "64", "16"), sweep.get(1).subList(0, 3));
        assertEquals(List.of("separable", "128", "64"), sweep.get(2).subList(0, 3));
        for (List<String> r : sweep.subList(1, sweep.size())) {
            double part = Double.parseDouble(r.get(9));
            assertTrue(part > 0 && part < Double.parseDouble(r.get(4)) * 1.5, r.toString());
        }
        List<List<String>> fits = csv(dir.resolve("mobilevitv2-attention-fits.csv"));
        assertEquals(4, fits.size());
        for (List<String> r : fits.subList(1, 4)) {
            Double.parseDouble(r.get(1)); // an exponent was fitted
            Double.parseDouble(r.get(3));
        }
        assertTrue(Files.readString(dir.resolve("mobilevitv2-attention.md")).contains("grows as k^"));
        assertSvg(dir.resolve("mobilevitv2-attention.svg"), 6);
    }

    @Test
    void nextVitDownstreamReduced(@TempDir Path dir) throws Exception {
        assertEquals(0, run(args(dir, "reproduce", "nextvit-downstream", "--only", "nextvit_small,resnet50",
                "--input-size", "64")), err.toString());
        List<List<String>> rows = csv(dir.resolve("nextvit-downstream.csv"));
        assertEquals(List.of("backbone", "zoo name", "setting", "input", "batch", "params (M)", "GMACs",
                "latency ms (fastest run)", "median ms", "p10-p90 ms", "min-max ms", "CPU ms", "ratio to Next-ViT-S",
                "GMACs ratio", "ms per GMAC", "paper TensorRT ms (backbone)", "paper CoreML ms (backbone)"), rows.get(0));
        assertEquals(3, rows.size());
        assertEquals(List.of("Next-ViT-S", "nextvit_small", "--input-size", "64x64", "1"), rows.get(1).subList(0, 5));
        // the backbone: timm's features_only parameters (no head), its MACs without the classifier
        assertEquals("30.74", rows.get(1).get(5));
        assertEquals("23.51", rows.get(2).get(5));
        assertEquals("1.00x", rows.get(1).get(12));
        assertEquals(List.of("38.2", "18.1"), rows.get(1).subList(15, 17));
        assertEquals(List.of("", ""), rows.get(2).subList(15, 17)); // ResNet-50's: not found, left empty
        List<List<String>> paper = csv(dir.resolve("nextvit-downstream-paper.csv"));
        assertEquals(List.of("Next-ViT-S", "51.8", "290", "45.9", "41.8", "208", "46.5", "968", "48.1", "38.2",
                "18.1"), paper.get(1));
        String md = Files.readString(dir.resolve("nextvit-downstream.md"));
        assertTrue(md.contains("Next-ViT-S takes") && md.contains("ResNet-50's latency") && md.contains("800x1280"), md);
        assertSvg(dir.resolve("nextvit-downstream.svg"), 2);
    }

    @Test
    void unknownTableIsOneLine(@TempDir Path dir) {
        assertNotEquals(0, run("reproduce", "nextvit-tables", "--out", dir.toString()));
        assertEquals("vitrt reproduce: error: unknown table 'nextvit-tables' (expected one of nextvit-models, "
                + "nextvit-blocks, mobilevitv2-attention, nextvit-downstream)", oneLineError());
    }

    @Test
    void batchZeroIsOneLine(@TempDir Path dir) throws Exception {
        assertNotEquals(0, run("reproduce", "nextvit-models", "--batch", "0", "--out", dir.resolve("o").toString()));
        assertEquals("vitrt reproduce: error: Invalid value for option '--batch': 0; give 1 to 1024 images per run"
                + " (see --help)", oneLineError());
        assertTrue(Files.notExists(dir.resolve("o")), "nothing is written on bad input");
    }

    @Test
    void tensorRtWhereItCannotRunIsOneLine(@TempDir Path dir) {
        assumeFalse(TensorRtAvailability.check().available(), "TensorRT runs here");
        assertNotEquals(0, run("reproduce", "nextvit-models", "--backend", "tensorrt", "--out",
                dir.resolve("o").toString()));
        assertTrue(oneLineError().startsWith("vitrt reproduce: error: TensorRT backend unavailable: "));
        assertTrue(Files.notExists(dir.resolve("o")), "nothing is written when TensorRT cannot run");
    }

    @Test
    void otherBadInputIsOneLine(@TempDir Path dir) throws Exception {
        assertNotEquals(0, run("reproduce", "nextvit-models", "--only", "nextvit_smal", "--out", dir.toString()));
        assertTrue(oneLineError().contains("unknown model 'nextvit_smal' (did you mean 'nextvit_small'?)"));
        err.getBuffer().setLength(0);
        assertNotEquals(0, run("reproduce", "nextvit-models", "--iterations", "0", "--out", dir.toString()));
        assertEquals("vitrt reproduce: error: Invalid value for option '--iterations': 0; give 1 or more (see --help)",
                oneLineError());
        err.getBuffer().setLength(0);
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertNotEquals(0, run("reproduce", "nextvit-models", "--out", file.toString()));
        assertTrue(oneLineError().contains("--out " + file + " is not a directory"));
        err.getBuffer().setLength(0);
        assertNotEquals(0, run("reproduce", "mobilevitv2-attention", "--sizes", "100", "--out", dir.toString()));
        assertTrue(oneLineError().contains("multiples of 64"));
        err.getBuffer().setLength(0);
        assertNotEquals(0, run("reproduce", "nextvit-blocks", "--only", "resnet50", "--out", dir.toString()));
        assertTrue(oneLineError().contains("not a row of nextvit-blocks"));
    }
}
