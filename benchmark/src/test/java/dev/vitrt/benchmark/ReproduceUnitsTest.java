package dev.vitrt.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.report.SvgPlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of {@code vitrt reproduce} that need no model: fits, spreads, orderings, the writers, row choice. */
class ReproduceUnitsTest {

    @Test
    void powerLawRecoversExponents() {
        double[] k = {64, 256, 576, 1024};
        double[] quad = new double[k.length];
        double[] lin = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            quad[i] = 3e-4 * k[i] * k[i];
            lin[i] = 0.02 * k[i];
        }
        PowerLawFit q = PowerLawFit.of(k, quad);
        assertEquals(2.0, q.exponent(), 1e-9);
        assertEquals(3e-4, q.coefficient(), 1e-12);
        assertEquals(1.0, q.r2(), 1e-9);
        assertEquals(1.0, PowerLawFit.of(k, lin).exponent(), 1e-9);
        assertEquals("close to quadratic", MobileVitAttentionTable.reading(q));
        assertEquals("about linear", MobileVitAttentionTable.reading(PowerLawFit.of(k, lin)));
    }

    @Test
    void powerLawSkipsUnusablePointsAndNeedsTwo() {
        PowerLawFit f = PowerLawFit.of(new double[] {10, 20, 0}, new double[] {5, Double.NaN, 3});
        assertFalse(f.valid());
        assertEquals(1, f.points());
        assertEquals("not enough sizes to fit", MobileVitAttentionTable.reading(f));
    }

    @Test
    void spreadIsMedianAndPercentiles() {
        Spread s = Spread.of(new double[] {5, 1, 4, 2, 3});
        assertEquals(5, s.runs());
        assertEquals(3, s.median(), 1e-12);
        assertEquals(1.4, s.p10(), 1e-12);
        assertEquals(4.6, s.p90(), 1e-12);
        assertEquals(1, s.min(), 0);
        assertEquals(5, s.max(), 0);
        assertEquals(100 * 3.2 / 3, s.relativeSpreadPercent(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Spread.of(new double[0]));
    }

    @Test
    void orderingsSayWhereThePaperDisagrees() {
        List<Orderings.Entry> flipped = List.of(new Orderings.Entry("NCB", 10, 9.5, 10.5, 7.7),
                new Orderings.Entry("LSA", 8, 7.5, 8.5, 9.0));
        List<String> s = Orderings.compare(flipped, "on this CPU", "the paper's TensorRT figures");
        assertTrue(s.stream().anyMatch(l -> l.contains("On this CPU, LSA is faster than NCB (8.00 vs 10.00 ms), "
                + "unlike the paper's TensorRT figures (9.0 vs 7.7 ms)")), s.toString());

        List<Orderings.Entry> same = List.of(new Orderings.Entry("A", 1, 0.9, 1.1, 1.0),
                new Orderings.Entry("B", 2, 1.9, 2.1, 3.0));
        assertTrue(Orderings.compare(same, "here", "the paper").get(0).contains("matches the paper"));

        List<Orderings.Entry> close = List.of(new Orderings.Entry("A", 2.0, 1.0, 3.0, 1.0),
                new Orderings.Entry("B", 1.9, 1.0, 3.0, 3.0));
        assertTrue(Orderings.compare(close, "here", "the paper").stream().anyMatch(l -> l.startsWith("Too close")));
        assertTrue(Orderings.compare(List.of(same.get(0)), "here", "the paper").isEmpty());
        assertEquals("A (1.00 ms) < B (2.00 ms)", Orderings.ours(same, "ms"));
    }

    @Test
    void reportsWriteMarkdownCsvAndSvgAtomically(@TempDir Path dir) throws Exception {
        Section main = new Section("models", "Models", List.of("model", "note"));
        main.add(List.of("Next-ViT-S", "a, \"quoted\" cell"));
        Section extra = new Section("fits", "Fits", List.of("a|b"));
        extra.add(List.of("x|y"));
        assertThrows(IllegalArgumentException.class, () -> main.add(List.of("only one")));
        SvgPlot plot = new SvgPlot("p", "x", "y", false, false);
        TableResult r = new TableResult("demo", "Demo", List.of(main, extra), List.of("finding"), List.of("note"), plot);
        Path out = dir.resolve("new/sub");
        List<Path> files = Reports.write(r, out);
        assertEquals(Set.of("demo.md", "demo.svg", "demo.csv", "demo-fits.csv"),
                Set.copyOf(files.stream().map(f -> f.getFileName().toString()).toList()));
        assertEquals("model,note\r\nNext-ViT-S,\"a, \"\"quoted\"\" cell\"\r\n",
                Files.readString(out.resolve("demo.csv")));
        String md = Files.readString(out.resolve("demo.md"));
        assertTrue(md.startsWith("# Demo\n\n## Findings\n\n- finding\n"));
        assertTrue(md.contains("| model | note |\n| --- | --- |\n| Next-ViT-S | a, \"quoted\" cell |"));
        assertTrue(md.contains("| a\\|b |"));
        assertTrue(md.contains("![Demo](demo.svg)"));
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(4, s.count()); // no temporary files left behind
        }
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThrows(java.io.IOException.class, () -> Reports.write(r, file));
        assertEquals("# Demo\n- finding\n\nmodel,note\nNext-ViT-S,\"a, \"\"quoted\"\" cell\"\n\n- note\n",
                Reports.console(r));
    }

    @Test
    void modelsTableBracketsTheOthersWithMobileVitWidths() {
        List<String> rows = NextVitModelsTable.defaultModels();
        assertTrue(rows.containsAll(List.of("nextvit_small", "nextvit_base", "nextvit_large", "resnet50")), rows.toString());
        List<String> widths = rows.stream().filter(n -> n.startsWith("mobilevitv2_")).toList();
        // ResNet-50 (4.09 GMACs) .. Next-ViT-L (10.75): 1.5 (4.04) just below, 1.75 and 2.0 inside, none above
        assertEquals(List.of("mobilevitv2_150", "mobilevitv2_175", "mobilevitv2_200"), widths);
        assertEquals("Next-ViT-S", NextVitModelsTable.label("nextvit_small"));
        assertEquals("ResNet-50", NextVitModelsTable.label("resnet50"));
    }

    @Test
    void blocksTableGroupsAblationsByName() {
        assertEquals(NextVitBlocksTable.Group.CONV, NextVitBlocksTable.classify("nextvit_small_lsa").group());
        assertEquals("ConvNeXt", NextVitBlocksTable.classify("nextvit_small_convnext").label());
        assertEquals("CCTT", NextVitBlocksTable.classify("nextvit_small_cctt").label());
        assertEquals(NextVitBlocksTable.Group.HYBRID, NextVitBlocksTable.classify("nextvit_small_chhh").group());
        assertEquals("r = 0.25", NextVitBlocksTable.classify("nextvit_small_r025").label());
        assertTrue(NextVitBlocksTable.classify("nextvit_small_r075").label().contains("same as published"));
        assertEquals(NextVitBlocksTable.Group.NORM, NextVitBlocksTable.classify("nextvit_small_ln_gelu").group());
        assertEquals(NextVitBlocksTable.Group.OTHER, NextVitBlocksTable.classify("nextvit_small_something").group());
    }

    @Test
    void attentionTableChecksSizesAndCountsTokens() {
        BenchSettings b = new BenchSettings(dev.vitrt.runtime.BackendKind.ONNXRUNTIME,
                "fp32", 0, 1, null, 1, 0, Estimator.MIN);
        TableOptions o = new TableOptions(null, null, null, List.of(128, 64), b);
        assertEquals(List.of(64, 128, 256), MobileVitAttentionTable.sizes(o)); // the paper's 256 always included
        assertEquals(256, MobileVitAttentionTable.tokens(256));
        assertEquals(1024, MobileVitAttentionTable.tokens(512));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MobileVitAttentionTable.sizes(new TableOptions(null, null, null, List.of(100), b)));
        assertTrue(e.getMessage().contains("multiples of 64"));
        assertEquals(Set.of("separable", "mha", "linformer"),
                MobileVitAttentionTable.variants(new TableOptions(null, null, null, null, b)).keySet());
        assertThrows(IllegalArgumentException.class, () -> MobileVitAttentionTable.variants(
                new TableOptions(null, null, Set.of("resnet50"), null, b)));
    }

    @Test
    void estimatorsPickTheFastestOrTypicalRun() {
        Spread s = Spread.of(new double[] {12, 10, 30, 11, 50});
        assertEquals(10, Estimator.MIN.of(s), 0);
        assertEquals(12, Estimator.MEDIAN.of(s), 0);
        assertEquals(10, Estimator.MIN.lo(s), 0);
        assertEquals(s.p10(), Estimator.MIN.hi(s), 0);
        assertEquals(s.p90(), Estimator.MEDIAN.hi(s), 0);
        assertEquals(Estimator.MEDIAN, Estimator.parse("median"));
        assertEquals("estimator must be min or median, got 'mean'", assertThrows(IllegalArgumentException.class,
                () -> Estimator.parse("mean")).getMessage());
    }

    @Test
    void paperFiguresAreThePapersAndNothingElse() {
        PaperFigures.Figures s = PaperFigures.of("nextvit_small");
        assertEquals(7.7, s.gpuMs());
        assertEquals(3.5, s.mobileMs());
        assertNull(PaperFigures.of("resnet50"));
        assertNull(PaperFigures.of("nextvit_small_lsa"));
        assertEquals(3.4, PaperFigures.attentionMs("separable"));
        assertNull(PaperFigures.of("mobilevitv2_075").mobileMs());
    }

    @Test
    void settingsRejectBadValuesInOneLine() {
        var kind = dev.vitrt.runtime.BackendKind.AUTO;
        assertEquals("iterations must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new BenchSettings(kind, "auto", 0, 0, null, 1, 0, Estimator.MIN)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new BenchSettings(kind,
                        "int8", 0, 1, null, 1, 0, Estimator.MIN)).getMessage().startsWith("precision must be auto, fp32 or fp16"));
        BenchSettings ok = new BenchSettings(kind, "auto", 0, 1, null, 1, 0, Estimator.MIN);
        assertEquals("batch must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new TableOptions(0, null, null, null, ok)).getMessage());
        assertEquals(2, new BenchSettings(kind, "auto", 0, 2, null, 3, 0, Estimator.MIN).minRounds());
    }
}
