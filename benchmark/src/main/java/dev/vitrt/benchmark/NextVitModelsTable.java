package dev.vitrt.benchmark;

import dev.vitrt.runtime.report.SvgPlot;
import dev.vitrt.models.zoo.Exporter;
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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Next-ViT's model comparison: Next-ViT S/B/L, ResNet-50, and the MobileViTv2 widths whose MACs bracket them, with
 * parameters, GMACs, latency at the paper's batch (8, its TensorRT setting) and each model's paper input size, and
 * throughput, beside the papers' own figures.
 */
public final class NextVitModelsTable implements ReproTable {
    static final String NAME = "nextvit-models";
    /** Next-ViT measured TensorRT latency at batch 8. */
    static final int PAPER_BATCH = 8;
    static final Set<String> FAMILIES = Set.of("nextvit", "resnet", "mobilevitv2");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Next-ViT S/B/L, ResNet-50 and the MobileViTv2 widths that bracket them: params, GMACs, latency, "
                + "throughput";
    }

    /**
     * The rows' zoo names: every {@code nextvit} entry, {@code resnet50}, and the MobileViTv2 widths bracketing their
     * GMAC range (the widest below it, every one inside, the narrowest above it).
     */
    static List<String> defaultModels() {
        List<ZooEntry> core = new ArrayList<>();
        for (ZooEntry e : Zoo.all()) {
            if (e.family().equals("nextvit") || e.name().equals("resnet50")) {
                core.add(e);
            }
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (ZooEntry e : core) {
            double g = Exporter.describe(e).gmacs();
            lo = Math.min(lo, g);
            hi = Math.max(hi, g);
        }
        Map<String, Double> widths = new LinkedHashMap<>();
        for (ZooEntry e : Zoo.all()) {
            if (e.family().equals("mobilevitv2")) {
                widths.put(e.name(), Exporter.describe(e).gmacs());
            }
        }
        List<String> bracket = new ArrayList<>();
        String below = null;
        String above = null;
        for (Map.Entry<String, Double> w : widths.entrySet()) {
            double g = w.getValue();
            if (g < lo && (below == null || g > widths.get(below))) {
                below = w.getKey();
            } else if (g > hi && (above == null || g < widths.get(above))) {
                above = w.getKey();
            } else if (g >= lo && g <= hi) {
                bracket.add(w.getKey());
            }
        }
        List<String> out = new ArrayList<>(core.stream().map(ZooEntry::name).toList());
        if (below != null) {
            out.add(below);
        }
        out.addAll(bracket);
        if (above != null) {
            out.add(above);
        }
        return out;
    }

    /** The rows to measure: the default ones, or those of {@code --only} (which must belong to this table). */
    static List<String> models(TableOptions o) {
        if (o.only().isEmpty()) {
            return defaultModels();
        }
        List<String> out = new ArrayList<>();
        for (String name : o.only().stream().sorted().toList()) {
            ZooEntry e = Zoo.get(name);
            if (!FAMILIES.contains(e.family())) {
                throw new IllegalArgumentException("model " + name + " is not a row of " + NAME + " (its families: "
                        + String.join(", ", FAMILIES.stream().sorted().toList()) + ")");
            }
            out.add(name);
        }
        return out;
    }

    @Override
    public TableResult run(TableOptions o, ProgressListener progress) throws IOException, BackendException {
        List<ModelRun> runs = new ArrayList<>();
        int batch = o.batchOr(PAPER_BATCH);
        for (String name : models(o)) {
            ZooEntry e = Zoo.get(name);
            runs.add(new ModelRun(name, label(name), o.sizeOr(e.inputSize()), batch, false));
        }
        double loadBefore = Machine.loadAverage();
        Bench.Result r = Bench.run(runs, o.bench(), progress);
        double loadAfter = Machine.loadAverage();

        Section grid = new Section("models", "Models (latency per run of " + batch + " image(s))", List.of(
                "model", "zoo name", "family", "input", "batch", "params (M)", "GMACs", "paper params (M)",
                "paper GMACs", "latency ms (" + o.bench().estimator().label() + ")", "median ms", "p10-p90 ms",
                "min-max ms", "CPU ms", "CPU p10-p90 ms", "ms/image",
                "images/s",
                "ms per GMAC", "paper TensorRT ms (T4, FP16, bs 8)", "paper mobile ms (bs 1)",
                "paper images/s (V100, bs 128)"));
        List<Orderings.Entry> trt = new ArrayList<>();
        List<Orderings.Entry> coreml = new ArrayList<>();
        List<Orderings.Entry> iphone = new ArrayList<>();
        List<String> macNotes = new ArrayList<>();
        SvgPlot plot = new SvgPlot("Latency vs GMACs (" + r.backend() + ", " + r.device() + ", batch " + batch + ")",
                "GMACs per image", "latency per image (ms, " + o.bench().estimator().label() + ")", false, false);
        Map<String, List<SvgPlot.Point>> byFamily = new LinkedHashMap<>();
        for (Measured m : r.rows()) {
            ZooEntry e = Zoo.get(m.run().zooName());
            PaperFigures.Figures p = PaperFigures.of(e.name());
            Spread s = m.latency();
            grid.add(List.of(m.run().label(), e.name(), e.family(), Integer.toString(m.run().inputSize()),
                    Integer.toString(m.run().batch()), Fmt.num(m.paramsMillions(), 2), Fmt.num(m.gmacs(), 3),
                    p == null ? "" : Fmt.num(p.paramsM(), 1), p == null ? "" : Fmt.num(p.gmacs(), 1),
                    Fmt.ms(m.ms()), Fmt.ms(s.median()), Fmt.range(s.p10(), s.p90()), Fmt.range(s.min(), s.max()),
                    Fmt.cpu(m), Fmt.cpuRange(m.cpu()), Fmt.ms(m.msPerImage()), Fmt.num(m.throughput(), 1),
                    Fmt.num(m.msPerImage() / m.gmacs(), 2),
                    p == null ? "" : Fmt.num(p.gpuMs(), 1), p == null ? "" : Fmt.num(p.mobileMs(), 1),
                    p == null ? "" : Fmt.num(p.throughput(), 0)));
            byFamily.computeIfAbsent(e.family(), k -> new ArrayList<>())
                    .add(new SvgPlot.Point(m.gmacs(), m.msPerImage(), m.run().label()));
            if (p != null) {
                Orderings.Entry base = new Orderings.Entry(m.run().label(), m.ms(), m.lo(), m.hi(), null);
                if (p.gpuMs() != null) {
                    trt.add(with(base, p.gpuMs()));
                }
                if (p.mobileMs() != null) {
                    (e.family().equals("nextvit") ? coreml : iphone).add(with(base, p.mobileMs()));
                }
                if (p.gmacs() != null && m.run().inputSize() == e.inputSize()
                        && Math.abs(m.gmacs() - p.gmacs()) > 0.05 * p.gmacs()) {
                    macNotes.add(String.format(Locale.ROOT, "%s: %.2f GMACs here vs %.1f in the paper", m.run().label(),
                            m.gmacs(), p.gmacs()));
                }
            }
        }
        for (Map.Entry<String, List<SvgPlot.Point>> f : byFamily.entrySet()) {
            plot.add(new SvgPlot.Series(f.getKey(), f.getValue(), true, false));
        }

        String where = "on this machine (" + r.backend() + ", " + r.device() + ")";
        List<String> findings = new ArrayList<>();
        List<Orderings.Entry> all = r.rows().stream().map(m -> new Orderings.Entry(m.run().label(), m.ms(), m.lo(),
                m.hi(), null)).toList();
        findings.add("Measured order " + where + ", fastest first: " + Orderings.ours(all, "ms") + ".");
        findings.addAll(Orderings.compare(trt, where, "the paper's TensorRT figures (T4, batch 8)"));
        findings.addAll(Orderings.compare(coreml, where, "the paper's CoreML figures (iPhone 12 Pro Max)"));
        findings.addAll(Orderings.compare(iphone, where, "the MobileViTv2 paper's iPhone 12 figures"));
        findings.addAll(scaling(r.rows()));
        findings.addAll(crossFamily(r.rows()));
        findings.add("Cost per MAC here (ms per GMAC per image): " + r.rows().stream()
                .sorted(Comparator.comparingDouble(m -> m.msPerImage() / m.gmacs()))
                .map(m -> m.run().label() + " " + Fmt.num(m.msPerImage() / m.gmacs(), 2))
                .collect(Collectors.joining(", ")) + ".");
        if (!macNotes.isEmpty()) {
            findings.add("GMACs that differ from the paper's by more than 5%: " + String.join("; ", macNotes) + ".");
        }

        List<String> notes = new ArrayList<>(MethodNotes.of(r, o.bench(), loadBefore, loadAfter));
        notes.add("Paper figures: " + PaperFigures.NEXTVIT_SOURCE + "; TensorRT column: "
                + PaperFigures.NEXTVIT_TENSORRT + "; Next-ViT's mobile column: " + PaperFigures.NEXTVIT_COREML + ".");
        notes.add("MobileViTv2 figures: " + PaperFigures.MOBILEVITV2_SOURCE + "; mobile column: "
                + PaperFigures.MOBILEVITV2_MOBILE + "; images/s column: " + PaperFigures.MOBILEVITV2_THROUGHPUT + ".");
        notes.add("Empty paper cells: the paper gives no such figure, or we could not find it. ResNet-50's latency and "
                + "size in the Next-ViT paper's table could not be found in the sources available to us, so its paper "
                + "cells are empty; the MobileViTv2 paper gives latency and throughput only for widths 0.5, 1.0, 1.5 "
                + "and 2.0.");
        notes.add("Weights are random (seeded): latency does not depend on their values. MobileViTv2 rows run at their "
                + "paper size 256, the others at 224, unless --input-size says otherwise.");
        return new TableResult(NAME, "Next-ViT model comparison, reproduced", List.of(grid), findings, notes, plot);
    }

    /** Next-ViT-B and -L relative to Next-ViT-S, here and in the paper's two latency columns. */
    private static List<String> scaling(List<Measured> rows) {
        List<String> out = new ArrayList<>();
        Measured s = find(rows, "nextvit_small");
        PaperFigures.Figures ps = PaperFigures.of("nextvit_small");
        if (s == null) {
            return out;
        }
        List<String> parts = new ArrayList<>();
        for (String name : List.of("nextvit_base", "nextvit_large")) {
            Measured m = find(rows, name);
            PaperFigures.Figures p = PaperFigures.of(name);
            if (m != null && p != null) {
                parts.add(String.format(Locale.ROOT, "%s %.2fx here (GMACs %.2fx), %.2fx in the paper's TensorRT "
                        + "figures, %.2fx in its CoreML figures", m.run().label(),
                        m.ms() / s.ms(), m.gmacs() / s.gmacs(), p.gpuMs() / ps.gpuMs(),
                        p.mobileMs() / ps.mobileMs()));
            }
        }
        if (!parts.isEmpty()) {
            out.add("Latency relative to Next-ViT-S: " + String.join("; ", parts) + ".");
        }
        return out;
    }

    /** Next-ViT-S against ResNet-50 and the nearest MobileViTv2, in latency and in MACs. */
    private static List<String> crossFamily(List<Measured> rows) {
        List<String> out = new ArrayList<>();
        Measured s = find(rows, "nextvit_small");
        Measured resnet = find(rows, "resnet50");
        if (s != null && resnet != null) {
            out.add(String.format(Locale.ROOT, "Next-ViT-S takes %.2fx ResNet-50's latency for %.2fx its GMACs here.",
                    s.ms() / resnet.ms(), s.gmacs() / resnet.gmacs()));
        }
        if (s != null) {
            Measured nearest = rows.stream().filter(m -> Zoo.get(m.run().zooName()).family().equals("mobilevitv2"))
                    .min(Comparator.comparingDouble(m -> Math.abs(m.gmacs() - s.gmacs()))).orElse(null);
            if (nearest != null) {
                out.add(String.format(Locale.ROOT, "Next-ViT-S (%.2f GMACs) against %s (%.2f GMACs), the "
                        + "MobileViTv2 nearest in MACs: %.2fx its per-image latency here.", s.gmacs(),
                        nearest.run().label(), nearest.gmacs(), s.msPerImage() / nearest.msPerImage()));
            }
        }
        return out;
    }

    private static Measured find(List<Measured> rows, String zooName) {
        return rows.stream().filter(m -> m.run().zooName().equals(zooName)).findFirst().orElse(null);
    }

    private static Orderings.Entry with(Orderings.Entry e, double paper) {
        return new Orderings.Entry(e.name(), e.median(), e.p10(), e.p90(), paper);
    }

    /** The paper's name of a zoo model, or the zoo name. */
    static String label(String zooName) {
        PaperFigures.Figures p = PaperFigures.of(zooName);
        if (p != null) {
            return p.paperName();
        }
        return zooName.equals("resnet50") ? "ResNet-50" : zooName;
    }
}
