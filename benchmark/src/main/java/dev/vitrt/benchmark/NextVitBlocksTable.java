package dev.vitrt.benchmark;

import dev.vitrt.runtime.report.SvgPlot;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.models.zoo.ZooEntry;
import dev.vitrt.runtime.BackendException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Next-ViT's ablations on Next-ViT-S: NCB against a Bottleneck, a ConvNeXt block and an LSA block in the same network;
 * the hybrid strategies; the NTB shrink ratio r; BatchNorm + ReLU against LayerNorm + GELU. Each variant's latency and
 * its ratio to the published Next-ViT-S, all measured together in interleaved rounds. The variants are the zoo's
 * {@code nextvit-ablation} family, grouped by their names, so new ones plug in.
 */
public final class NextVitBlocksTable implements ReproTable {
    static final String NAME = "nextvit-blocks";
    static final String BASELINE = "nextvit_small";
    static final String FAMILY = "nextvit-ablation";
    /**
     * Batch 1 by default: the ablation is read as ratios, and on a 2-core CPU batch 1 fits far more interleaved rounds
     * into the time limit than the paper's TensorRT batch of 8 (which --batch 8 gives).
     */
    static final int DEFAULT_BATCH = 1;

    /** The ablation groups in report order. */
    enum Group {
        CONV("Conv block (NCB replaced)", "NCB"),
        HYBRID("Hybrid strategy (per stage: C all NCB, T all NTB, H Next-ViT's pattern)", "CHHH (published)"),
        SHRINK("NTB shrink ratio r", "r = 0.75 (published)"),
        NORM("Normalisation and activation", "BN + ReLU (published)"),
        OTHER("Other ablations", "published Next-ViT-S");

        final String heading;
        final String baselineLabel;

        Group(String heading, String baselineLabel) {
            this.heading = heading;
            this.baselineLabel = baselineLabel;
        }
    }

    /** An ablation variant: its group and how the table names it. */
    record Variant(String zooName, Group group, String label) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Next-ViT-S ablations: NCB vs Bottleneck/ConvNeXt/LSA, hybrid strategies, NTB shrink ratio r, "
                + "BN+ReLU vs LN+GELU: latency and ratio to Next-ViT-S";
    }

    /** Classifies an ablation by its zoo name ({@code nextvit_small_<what>}). */
    static Variant classify(String zooName) {
        String what = zooName.startsWith(BASELINE + "_") ? zooName.substring(BASELINE.length() + 1) : zooName;
        switch (what) {
            case "bottleneck":
                return new Variant(zooName, Group.CONV, "Bottleneck");
            case "convnext":
                return new Variant(zooName, Group.CONV, "ConvNeXt");
            case "lsa":
                return new Variant(zooName, Group.CONV, "LSA");
            case "ln_gelu":
                return new Variant(zooName, Group.NORM, "LN + GELU");
            default:
                break;
        }
        if (what.matches("[cth]{4}")) {
            String s = what.toUpperCase(Locale.ROOT);
            return new Variant(zooName, Group.HYBRID, s.equals("CHHH") ? "CHHH (same as published)" : s);
        }
        if (what.matches("r\\d{3}")) {
            double r = Integer.parseInt(what.substring(1)) / 100.0;
            return new Variant(zooName, Group.SHRINK, String.format(Locale.ROOT, "r = %.2f%s", r,
                    r == 0.75 ? " (same as published)" : ""));
        }
        return new Variant(zooName, Group.OTHER, zooName);
    }

    /** The variants of the zoo's ablation family kept by the options, in zoo order. */
    static List<Variant> variants(TableOptions o) {
        for (String name : o.only()) {
            String family = Zoo.get(name).family();
            if (!name.equals(BASELINE) && !family.equals(FAMILY)) {
                throw new IllegalArgumentException("model " + name + " is not a row of " + NAME + " (" + BASELINE
                        + " and the " + FAMILY + " family)");
            }
        }
        List<Variant> out = new ArrayList<>();
        for (ZooEntry e : Zoo.all()) {
            if (e.family().equals(FAMILY) && o.keeps(e.name())) {
                out.add(classify(e.name()));
            }
        }
        return out;
    }

    @Override
    public TableResult run(TableOptions o, ProgressListener progress) throws IOException, BackendException {
        List<Variant> variants = variants(o);
        int batch = o.batchOr(DEFAULT_BATCH);
        int size = o.sizeOr(Zoo.get(BASELINE).inputSize());
        List<ModelRun> runs = new ArrayList<>();
        runs.add(new ModelRun(BASELINE, "Next-ViT-S", size, batch, false)); // always: the ratios' denominator
        for (Variant v : variants) {
            runs.add(new ModelRun(v.zooName(), v.label(), size, batch, false));
        }
        double loadBefore = Machine.loadAverage();
        Bench.Result r = Bench.run(runs, o.bench(), progress);
        double loadAfter = Machine.loadAverage();
        Measured base = r.rows().get(0);

        Section grid = new Section("blocks", "Ablations on Next-ViT-S (" + size + "x" + size + ", batch " + batch
                + ")", List.of("group", "variant", "zoo name", "params (M)", "GMACs", "latency ms ("
                + o.bench().estimator().label() + ")", "median ms", "p10-p90 ms", "min-max ms", "ratio to Next-ViT-S",
                "CPU ms", "CPU ratio", "GMACs ratio", "paper TensorRT ms", "paper CoreML ms"));
        SvgPlot plot = new SvgPlot("Next-ViT-S ablations: latency vs GMACs (" + r.backend() + ", " + r.device()
                + ", batch " + batch + ")", "GMACs per image", "latency per image (ms, "
                + o.bench().estimator().label() + ")", false, false);
        Map<Group, List<Measured>> byGroup = new LinkedHashMap<>();
        for (Group g : Group.values()) {
            byGroup.put(g, new ArrayList<>());
        }
        for (int i = 0; i < variants.size(); i++) {
            byGroup.get(variants.get(i).group()).add(r.rows().get(i + 1));
        }
        plot.add(new SvgPlot.Series("Next-ViT-S", List.of(new SvgPlot.Point(base.gmacs(), base.msPerImage(),
                "Next-ViT-S")), false, false));
        List<String> findings = new ArrayList<>();
        for (Map.Entry<Group, List<Measured>> g : byGroup.entrySet()) {
            if (g.getValue().isEmpty()) {
                continue;
            }
            grid.add(row(g.getKey().heading, g.getKey().baselineLabel + " = Next-ViT-S", base, base));
            List<SvgPlot.Point> pts = new ArrayList<>();
            for (Measured m : g.getValue()) {
                grid.add(row(g.getKey().heading, m.run().label(), m, base));
                pts.add(new SvgPlot.Point(m.gmacs(), m.msPerImage(), m.run().label()));
            }
            plot.add(new SvgPlot.Series(g.getKey().name().toLowerCase(Locale.ROOT), pts, false, false));
            findings.add(groupFinding(g.getKey(), base, g.getValue()));
        }
        List<String> noise = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i).label().contains("same as published")) {
                Measured m = r.rows().get(i + 1);
                noise.add(String.format(Locale.ROOT, "%s %s", m.run().zooName(),
                        Fmt.ratio(m.ms() / base.ms())));
            }
        }
        if (!noise.isEmpty()) {
            findings.add("Noise check: variants identical to Next-ViT-S by construction measured at "
                    + String.join(", ", noise) + " of its latency; differences of that size are not significant.");
        }
        findings.add("The Next-ViT paper's ablation latencies (TensorRT, CoreML) could not be found in the sources "
                + "available to us, so this table cannot say where this machine's ordering agrees with the paper's; "
                + "the paper columns are empty rather than guessed.");

        List<String> notes = new ArrayList<>(MethodNotes.of(r, o.bench(), loadBefore, loadAfter));
        notes.add("Batch " + batch + (o.batch() == null ? " (the default here: the ablation is read as ratios, and a "
                + "2-core CPU fits many more interleaved rounds at batch 1; --batch 8 is the paper's TensorRT batch)"
                : "") + ". Weights are random (seeded): latency does not depend on their values.");
        notes.add("Variants are the zoo's " + FAMILY + " family on Next-ViT-S's depths and widths (see `vitrt models`);"
                + " a variant's GMACs and parameters are its own, so a faster variant may simply compute less (see the "
                + "GMACs ratio).");
        return new TableResult(NAME, "Next-ViT block ablations, reproduced", List.of(grid), findings, notes, plot);
    }

    private static List<String> row(String group, String label, Measured m, Measured base) {
        Spread s = m.latency();
        return List.of(group, label, m.run().zooName(), Fmt.num(m.paramsMillions(), 2), Fmt.num(m.gmacs(), 3),
                Fmt.ms(m.ms()), Fmt.ms(s.median()), Fmt.range(s.p10(), s.p90()), Fmt.range(s.min(), s.max()),
                Fmt.ratio(m.ms() / base.ms()), Fmt.cpu(m),
                m.cpu() == null || base.cpu() == null ? "" : Fmt.ratio(m.cpuMs() / base.cpuMs()),
                Fmt.ratio(m.gmacs() / base.gmacs()), "", "");
    }

    /** The group's measured order (baseline included) and each variant against the baseline, in words. */
    private static String groupFinding(Group g, Measured base, List<Measured> rows) {
        List<Measured> all = new ArrayList<>(rows);
        all.add(base);
        all.sort(Comparator.comparingDouble(Measured::ms));
        String order = all.stream().map(m -> (m == base ? g.baselineLabel : m.run().label()) + " "
                + Fmt.ms(m.ms())).collect(Collectors.joining(" < "));
        List<String> faster = new ArrayList<>();
        for (Measured m : rows) {
            boolean overlap = m.lo() <= base.hi() && base.lo() <= m.hi();
            if (m.ms() < base.ms() && !overlap
                    && !m.run().label().contains("same as published")) {
                faster.add(String.format(Locale.ROOT, "%s (%s of Next-ViT-S's latency at %s its GMACs)",
                        m.run().label(), Fmt.ratio(m.ms() / base.ms()),
                        Fmt.ratio(m.gmacs() / base.gmacs())));
            }
        }
        return g.heading + ": " + order + " ms" + (faster.isEmpty()
                ? "; none of the variants beats the published choice beyond the spread."
                : "; faster than the published choice beyond the spread: " + String.join(", ", faster) + ".");
    }
}
