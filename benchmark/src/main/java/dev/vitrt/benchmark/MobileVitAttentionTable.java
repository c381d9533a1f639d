package dev.vitrt.benchmark;

import dev.vitrt.runtime.report.SvgPlot;
import dev.vitrt.models.mobilevit.AttentionKind;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.models.zoo.ZooEntry;
import dev.vitrt.runtime.BackendException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The MobileViTv2 paper's attention comparison: MobileViTv2-1.0 with Transformer multi-head attention, Linformer, and
 * separable attention (its Table 1 latency column), then latency against the token count as the input grows, with a
 * power law fitted per attention to show how its cost scales (separable: linear in the tokens k; MHA: quadratic).
 * Each row is also profiled once, so the attention's own time is reported beside the whole model's.
 */
public final class MobileVitAttentionTable implements ReproTable {
    static final String NAME = "mobilevitv2-attention";
    static final String FAMILY = "mobilevitv2-ablation";
    /** The paper measured on an iPhone 12, one image at a time, at 256x256. */
    static final int PAPER_BATCH = 1;
    static final int PAPER_SIZE = 256;
    /** Up to k = 2304 tokens: MHA's quadratic term only outgrows its linear projections near k = 1000. */
    static final List<Integer> DEFAULT_SIZES = List.of(128, 192, 256, 384, 512, 768);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "MobileViTv2 with Transformer MHA vs Linformer vs separable attention (paper Table 1), and latency vs "
                + "token count with fitted growth exponents";
    }

    /** The attention variants in the zoo, by attention name ({@code separable}, {@code mha}, ...) in zoo order. */
    static Map<String, String> variants(TableOptions o) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ZooEntry e : Zoo.all()) {
            if (e.family().equals(FAMILY) && o.keeps(e.name())) {
                out.put(e.name().substring(e.name().lastIndexOf('_') + 1), e.name());
            }
        }
        for (String name : o.only()) {
            if (!Zoo.get(name).family().equals(FAMILY)) {
                throw new IllegalArgumentException("model " + name + " is not a row of " + NAME + " (its family: "
                        + FAMILY + ")");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(NAME + ": the zoo has no " + FAMILY + " models to compare");
        }
        return out;
    }

    /** The sweep's sizes (multiples of 64, so that every stage's map splits into 2x2 patches), Table 1's included. */
    static List<Integer> sizes(TableOptions o) {
        TreeSet<Integer> s = new TreeSet<>(o.sizes().isEmpty() ? DEFAULT_SIZES : o.sizes());
        s.add(o.sizeOr(PAPER_SIZE));
        for (int v : s) {
            if (v % 64 != 0) {
                throw new IllegalArgumentException("MobileViTv2 input sizes must be multiples of 64 (2x2 patches at "
                        + "stride 32), got " + v);
            }
        }
        return List.copyOf(s);
    }

    /** Tokens k per attention at the first MobileViTv2 block: stride 8, 2x2 patches. */
    static long tokens(int size) {
        long side = size / 16;
        return side * side;
    }

    @Override
    public TableResult run(TableOptions o, ProgressListener progress) throws IOException, BackendException {
        Map<String, String> variants = variants(o);
        List<Integer> sizes = sizes(o);
        int tableSize = o.sizeOr(PAPER_SIZE);
        int batch = o.batchOr(PAPER_BATCH);
        List<ModelRun> runs = new ArrayList<>();
        for (int size : sizes) {
            for (Map.Entry<String, String> v : variants.entrySet()) {
                runs.add(new ModelRun(v.getValue(), v.getKey() + " @" + size, size, batch, true));
            }
        }
        double loadBefore = Machine.loadAverage();
        Bench.Result r = Bench.run(runs, o.bench(), progress);
        double loadAfter = Machine.loadAverage();

        // Table 1: the variants at the paper's size
        Section t1 = new Section("table1", "Attention units in MobileViTv2-1.0 at " + tableSize + "x" + tableSize
                + ", batch " + batch + " (paper Table 1)", List.of("attention", "zoo name", "params (M)", "GMACs",
                "latency ms (" + o.bench().estimator().label() + ")", "median ms", "p10-p90 ms", "min-max ms",
                "ratio to separable", "CPU ms",
                "attention part ms",
                "paper latency ms (iPhone 12)", "paper ratio to separable"));
        Measured sep = r.row(new ModelRun(variants.getOrDefault("separable", ""), "", tableSize, batch, true).key());
        List<Orderings.Entry> order = new ArrayList<>();
        Double paperSep = PaperFigures.attentionMs("separable");
        for (Map.Entry<String, String> v : variants.entrySet()) {
            Measured m = r.row(new ModelRun(v.getValue(), "", tableSize, batch, true).key());
            Double paper = PaperFigures.attentionMs(v.getKey());
            Spread s = m.latency();
            t1.add(List.of(v.getKey(), v.getValue(), Fmt.num(m.paramsMillions(), 2), Fmt.num(m.gmacs(), 3),
                    Fmt.ms(m.ms()), Fmt.ms(s.median()), Fmt.range(s.p10(), s.p90()), Fmt.range(s.min(), s.max()),
                    sep == null ? "" : Fmt.ratio(m.ms() / sep.ms()), Fmt.cpu(m),
                    Fmt.ms(attentionMs(v.getKey(), m)),
                    Fmt.num(paper, 1), paper == null || paperSep == null ? "" : Fmt.ratio(paper / paperSep)));
            order.add(new Orderings.Entry(v.getKey(), m.ms(), m.lo(), m.hi(), paper));
        }

        // the sweep, and a power law per attention
        Section sweep = new Section("tokens", "Latency against token count (batch " + batch + ")", List.of(
                "attention", "input", "tokens k (first MobileViTv2 block)", "GMACs", "latency ms ("
                + o.bench().estimator().label() + ")", "median ms", "p10-p90 ms", "min-max ms", "CPU ms",
                "attention part ms", "attention share %", "GMACs over separable"));
        Section fits = new Section("fits", "Growth with the token count: latency ~ k^b, fitted on log-log axes",
                List.of("attention", "b (whole model)", "R2 (whole model)", "b (attention part)", "R2 (attention part)",
                        "b (attention, two largest sizes)", "sizes", "reading", "b (GMACs over separable)"));
        SvgPlot plot = new SvgPlot("Latency vs tokens (" + r.backend() + ", " + r.device() + ", batch " + batch + ")",
                "tokens k per attention (first MobileViTv2 block)", "latency (ms, " + o.bench().estimator().label() + ")",
                true, true);
        Map<String, PowerLawFit> partFits = new LinkedHashMap<>();
        Map<String, PowerLawFit> wholeFits = new LinkedHashMap<>();
        Map<String, PowerLawFit> tailFits = new LinkedHashMap<>();
        Map<String, PowerLawFit> extraFits = new LinkedHashMap<>();
        Map<String, Double> extraLast = new LinkedHashMap<>();
        for (Map.Entry<String, String> v : variants.entrySet()) {
            double[] k = new double[sizes.size()];
            double[] whole = new double[sizes.size()];
            double[] part = new double[sizes.size()];
            double[] extra = new double[sizes.size()];
            List<SvgPlot.Point> wholePts = new ArrayList<>();
            List<SvgPlot.Point> partPts = new ArrayList<>();
            for (int i = 0; i < sizes.size(); i++) {
                int size = sizes.get(i);
                Measured m = r.row(new ModelRun(v.getValue(), "", size, batch, true).key());
                k[i] = tokens(size);
                whole[i] = m.ms();
                part[i] = attentionMs(v.getKey(), m);
                Spread s = m.latency();
                Measured same = r.row(new ModelRun(variants.getOrDefault("separable", ""), "", size, batch, true).key());
                extra[i] = same == null ? Double.NaN : m.gmacs() - same.gmacs();
                sweep.add(List.of(v.getKey(), Integer.toString(size), Long.toString(tokens(size)),
                        Fmt.num(m.gmacs(), 3), Fmt.ms(m.ms()), Fmt.ms(s.median()), Fmt.range(s.p10(), s.p90()),
                        Fmt.range(s.min(), s.max()), Fmt.cpu(m), Fmt.ms(part[i]),
                        Fmt.num(100 * part[i] / m.ms(), 1), Fmt.num(extra[i], 3)));
                wholePts.add(new SvgPlot.Point(k[i], whole[i], null));
                partPts.add(new SvgPlot.Point(k[i], part[i], null));
            }
            PowerLawFit fw = PowerLawFit.of(k, whole);
            PowerLawFit fp = PowerLawFit.of(k, part);
            wholeFits.put(v.getKey(), fw);
            partFits.put(v.getKey(), fp);
            // the local slope at the largest k shows where the growth is heading once fixed costs stop dominating
            int n = sizes.size();
            PowerLawFit tail = n < 2 ? PowerLawFit.of(new double[0], new double[0])
                    : PowerLawFit.of(new double[] {k[n - 2], k[n - 1]}, new double[] {part[n - 2], part[n - 1]});
            tailFits.put(v.getKey(), tail);
            fits.add(List.of(v.getKey(), Fmt.num(fw.exponent(), 2), Fmt.num(fw.r2(), 3), Fmt.num(fp.exponent(), 2),
                    Fmt.num(fp.r2(), 3), Fmt.num(tail.exponent(), 2), sizes.toString().replace(",", ""),
                    reading(fp.valid() ? fp : fw), Fmt.num(PowerLawFit.of(k, extra).exponent(), 2)));
            extraFits.put(v.getKey(), PowerLawFit.of(k, extra));
            extraLast.put(v.getKey(), extra[extra.length - 1]);
            plot.add(new SvgPlot.Series(v.getKey() + " attention", partPts, true, false));
            plot.add(new SvgPlot.Series(v.getKey() + " whole model", wholePts, true, true));
        }

        String where = "on this machine (" + r.backend() + ", " + r.device() + ")";
        List<String> findings = new ArrayList<>();
        findings.add("Measured order at " + tableSize + "x" + tableSize + " " + where + ", fastest first: "
                + Orderings.ours(order, "ms") + ".");
        findings.addAll(Orderings.compare(order, where, "the paper's Table 1 (iPhone 12)"));
        if (sep != null) {
            for (Map.Entry<String, String> v : variants.entrySet()) {
                if (v.getKey().equals("separable")) {
                    continue;
                }
                Measured m = r.row(new ModelRun(v.getValue(), "", tableSize, batch, true).key());
                Double paper = PaperFigures.attentionMs(v.getKey());
                findings.add(String.format(Locale.ROOT, "%s takes %.2fx separable attention's whole-model latency here"
                        + "%s.", v.getKey(), m.ms() / sep.ms(), paper == null
                        || paperSep == null ? "" : String.format(Locale.ROOT, " (the paper: %.1fx)", paper / paperSep)));
            }
        }
        for (String a : variants.keySet()) {
            PowerLawFit fp = partFits.get(a);
            PowerLawFit fw = wholeFits.get(a);
            if (fp.valid() || fw.valid()) {
                PowerLawFit tail = tailFits.get(a);
                findings.add(String.format(Locale.ROOT, "%s: attention time grows as k^%s (%s), the whole model as "
                        + "k^%s, over k = %d..%d tokens%s.", a, Fmt.num(fp.exponent(), 2), reading(fp.valid() ? fp : fw),
                        Fmt.num(fw.exponent(), 2), tokens(sizes.get(0)), tokens(sizes.get(sizes.size() - 1)),
                        tail.valid() ? "; between the two largest sizes the attention grows as k^"
                                + Fmt.num(tail.exponent(), 2) : ""));
                PowerLawFit ex = extraFits.get(a);
                if (ex != null && ex.valid()) {
                    findings.add(String.format(Locale.ROOT, "%s does %s more MACs than separable attention at k = %d "
                            + "(from the graphs' MAC counts); that extra work grows as k^%s: %s.", a,
                            Fmt.num(extraLast.get(a), 2) + " G", tokens(sizes.get(sizes.size() - 1)),
                            Fmt.num(ex.exponent(), 2),
                            ex.exponent() > 1.5 ? "the quadratic term is in the work; the attention exponents above say"
                                    + " how much of it reaches the latency at these sizes"
                                    : "mostly linear work (projections)"));
                }
            }
        }
        if (sizes.size() < 2) {
            findings.add("Only one input size was measured, so no growth exponent could be fitted.");
        }
        List<String> notes = new ArrayList<>(MethodNotes.of(r, o.bench(), loadBefore, loadAfter));
        notes.add("Paper figures: " + PaperFigures.MOBILEVITV2_TABLE1 + " (arXiv 2206.02680). Our rows are "
                + "MobileViTv2-1.0 with the attention swapped, so the comparison is of orderings and ratios, not of "
                + "absolute times. The paper's module-level CPU timings against k (its Fig. 1) are a plot without "
                + "published numbers, so there is no paper column for the sweep.");
        notes.add("Linformer here (the zoo's) projects keys and values to a fixed 64 tokens (k/4 at the first block at "
                + "256x256), so its scores grow linearly in k, as Linformer intends; its projection weights are sized "
                + "for each input size's k.");
        notes.add("Tokens k: patches per attention at the first MobileViTv2 block (stride 8, 2x2 patches): (size/16)^2."
                + " Attention part: the layers tagged as the block's attention part (" + attentionParts(variants)
                + "), their share of a short profiled pass (" + Bench.PROFILE_RUNS + " runs) applied to the "
                + "interleaved median.");
        return new TableResult(NAME, "MobileViTv2 attention comparison, reproduced", List.of(t1, sweep, fits),
                findings, notes, plot);
    }

    /** Time in this attention's part of its MobileViTv2 block (NaN when the kind or profile is unknown). */
    static double attentionMs(String attention, Measured m) {
        AttentionKind kind = kind(attention);
        return kind == null ? Double.NaN : m.partMs(kind.blockType(), kind.part());
    }

    static AttentionKind kind(String attention) {
        try {
            return AttentionKind.valueOf(attention.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String attentionParts(Map<String, String> variants) {
        List<String> out = new ArrayList<>();
        for (String a : variants.keySet()) {
            AttentionKind k = kind(a);
            out.add(a + ": " + (k == null ? "unknown" : k.blockType() + "/" + k.part()));
        }
        return String.join(", ", out);
    }

    /** The exponent in words. */
    static String reading(PowerLawFit f) {
        if (!f.valid()) {
            return "not enough sizes to fit";
        }
        double b = f.exponent();
        if (b < 0.8) {
            return "sub-linear: fixed costs still dominate at these sizes";
        }
        if (b < 1.3) {
            return "about linear";
        }
        if (b > 1.7) {
            return "close to quadratic";
        }
        return "between linear and quadratic";
    }
}
