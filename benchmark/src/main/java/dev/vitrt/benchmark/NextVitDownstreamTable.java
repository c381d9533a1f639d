package dev.vitrt.benchmark;

import dev.vitrt.runtime.report.SvgPlot;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.runtime.BackendException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Next-ViT's downstream claim: backbone latency of Next-ViT S/B/L and ResNet-50 at the input sizes of the paper's COCO
 * (Mask R-CNN) and ADE20K (Semantic FPN, UperNet) tables, each exported as the backbone those heads read (timm's
 * features_only: every stage's map), beside the paper's backbone latencies and downstream figures.
 */
public final class NextVitDownstreamTable implements ReproTable {
    static final String NAME = "nextvit-downstream";
    static final List<String> MODELS = List.of("nextvit_small", "nextvit_base", "nextvit_large", "resnet50");
    static final String BASELINE = "nextvit_small";
    /** Detectors and segmenters run one image at a time; --batch changes it. */
    static final int DEFAULT_BATCH = 1;

    /** An input size the paper's tables use, and where. */
    record Setting(String name, InputSize size) {
    }

    static final List<Setting> SETTINGS = List.of(
            new Setting("COCO Mask R-CNN", new InputSize(800, 1280)),
            new Setting("ADE20K FPN / UperNet", new InputSize(512, 2048)),
            new Setting("ADE20K crop", new InputSize(512, 512)));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Next-ViT S/B/L and ResNet-50 backbones at the COCO and ADE20K tables' input sizes: latency, GMACs";
    }

    static List<String> models(TableOptions o) {
        for (String name : o.only()) {
            if (!MODELS.contains(Zoo.get(name).name())) {
                throw new IllegalArgumentException("model " + name + " is not a row of " + NAME + " (its backbones: "
                        + String.join(", ", MODELS) + ")");
            }
        }
        return MODELS.stream().filter(o::keeps).toList();
    }

    static List<Setting> settings(TableOptions o) {
        return o.inputSize() == null ? SETTINGS
                : List.of(new Setting("--input-size", InputSize.square(o.inputSize())));
    }

    @Override
    public TableResult run(TableOptions o, ProgressListener progress) throws IOException, BackendException {
        List<String> models = models(o);
        List<Setting> settings = settings(o);
        int batch = o.batchOr(DEFAULT_BATCH);
        List<ModelRun> runs = new ArrayList<>();
        List<Setting> runSettings = new ArrayList<>();
        for (Setting s : settings) {
            for (String m : models) {
                runs.add(new ModelRun(m, NextVitModelsTable.label(m), s.size(), batch, false, true));
                runSettings.add(s);
            }
        }
        double loadBefore = Machine.loadAverage();
        Bench.Result r = Bench.run(runs, o.bench(), progress);
        double loadAfter = Machine.loadAverage();

        Section grid = new Section("downstream", "Backbones at the downstream tables' input sizes (batch " + batch + ")",
                List.of("backbone", "zoo name", "setting", "input", "batch", "params (M)", "GMACs",
                        "latency ms (" + o.bench().estimator().label() + ")", "median ms", "p10-p90 ms", "min-max ms",
                        "CPU ms", "ratio to Next-ViT-S", "GMACs ratio", "ms per GMAC",
                        "paper TensorRT ms (backbone)", "paper CoreML ms (backbone)"));
        SvgPlot plot = new SvgPlot("Backbone latency vs GMACs at the downstream input sizes (" + r.backend() + ", "
                + r.device() + ", batch " + batch + ")", "GMACs per image", "latency per image (ms, "
                + o.bench().estimator().label() + ")", true, true);
        Map<String, List<SvgPlot.Point>> byModel = new LinkedHashMap<>();
        Map<Setting, List<Measured>> bySetting = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            bySetting.computeIfAbsent(runSettings.get(i), k -> new ArrayList<>()).add(r.rows().get(i));
        }
        List<String> findings = new ArrayList<>();
        String where = "here (" + r.backend() + ", " + r.device() + ")";
        for (Map.Entry<Setting, List<Measured>> e : bySetting.entrySet()) {
            Setting s = e.getKey();
            Measured base = find(e.getValue(), BASELINE);
            List<Orderings.Entry> trt = new ArrayList<>();
            List<Orderings.Entry> coreml = new ArrayList<>();
            List<Orderings.Entry> all = new ArrayList<>();
            for (Measured m : e.getValue()) {
                PaperFigures.Downstream p = PaperFigures.downstream(m.run().zooName());
                grid.add(List.of(m.run().label(), m.run().zooName(), s.name(), m.run().size().height() + "x"
                                + m.run().size().width(), Integer.toString(batch), Fmt.num(m.paramsMillions(), 2),
                        Fmt.num(m.gmacs(), 2), Fmt.ms(m.ms()), Fmt.ms(m.latency().median()),
                        Fmt.range(m.latency().p10(), m.latency().p90()), Fmt.range(m.latency().min(), m.latency().max()),
                        Fmt.cpu(m), base == null ? "" : Fmt.ratio(m.ms() / base.ms()),
                        base == null ? "" : Fmt.ratio(m.gmacs() / base.gmacs()), Fmt.num(m.msPerImage() / m.gmacs(), 3),
                        p == null ? "" : Fmt.num(p.gpuMs(), 1), p == null ? "" : Fmt.num(p.mobileMs(), 1)));
                byModel.computeIfAbsent(m.run().label(), k -> new ArrayList<>())
                        .add(new SvgPlot.Point(m.gmacs(), m.msPerImage(), s.size().toString()));
                Orderings.Entry entry = new Orderings.Entry(m.run().label(), m.ms(), m.lo(), m.hi(), null);
                all.add(entry);
                if (p != null) {
                    trt.add(new Orderings.Entry(entry.name(), m.ms(), m.lo(), m.hi(), p.gpuMs()));
                    coreml.add(new Orderings.Entry(entry.name(), m.ms(), m.lo(), m.hi(), p.mobileMs()));
                }
            }
            String hw = s.size().height() + "x" + s.size().width();
            String at = s.name().startsWith("--") ? hw + " (" + s.name() + ")" : s.name() + " (" + hw + ")";
            findings.add("At " + at + ", measured order " + where + ", fastest first: " + Orderings.ours(all, "ms")
                    + ".");
            findings.addAll(Orderings.compare(trt, where + " at " + at, "the paper's TensorRT backbone latencies"));
            findings.addAll(scaling(e.getValue(), base, at));
        }
        for (Map.Entry<String, List<SvgPlot.Point>> e : byModel.entrySet()) {
            plot.add(new SvgPlot.Series(e.getKey(), e.getValue(), true, false));
        }

        List<String> notes = new ArrayList<>(MethodNotes.of(r, o.bench(), loadBefore, loadAfter));
        notes.add("Paper figures: " + PaperFigures.NEXTVIT_DOWNSTREAM_SOURCE + "; " + PaperFigures.NEXTVIT_DOWNSTREAM_LATENCY
                + ". Hardware of the paper's figures (its classification setting; the downstream tables do not restate "
                + "it): " + PaperFigures.NEXTVIT_TENSORRT + "; " + PaperFigures.NEXTVIT_COREML
                + ". ResNet-50's downstream figures could not be found in the sources available to us: its paper cells "
                + "are empty, not guessed.");
        notes.add("Input sizes: 800x1280 and 512x2048 are those at which the paper's tables give FLOPs (height first); "
                + "at test time COCO images are resized to at most 1333x800 and padded to multiples of 32, ADE20K "
                + "images to a short side of 512; 512x512 is ADE20K's training crop. Each backbone is exported as "
                + "`vitrt export --features` makes it (every feature_info level an output, no classifier) with random "
                + "(seeded) weights: latency does not depend on their values.");
        return new TableResult(NAME, "Next-ViT downstream backbone latency, reproduced",
                List.of(grid, paperSection(models)), findings, notes, plot);
    }

    /** Next-ViT-B and -L relative to S, and S relative to ResNet-50, at one setting, here and in the paper. */
    private static List<String> scaling(List<Measured> rows, Measured s, String at) {
        List<String> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        PaperFigures.Downstream ps = PaperFigures.downstream(BASELINE);
        List<String> parts = new ArrayList<>();
        for (String name : List.of("nextvit_base", "nextvit_large")) {
            Measured m = find(rows, name);
            PaperFigures.Downstream p = PaperFigures.downstream(name);
            if (m != null) {
                parts.add(String.format(Locale.ROOT, "%s %.2fx (GMACs %.2fx; paper %.2fx TensorRT, %.2fx CoreML)",
                        m.run().label(), m.ms() / s.ms(), m.gmacs() / s.gmacs(), p.gpuMs() / ps.gpuMs(),
                        p.mobileMs() / ps.mobileMs()));
            }
        }
        if (!parts.isEmpty()) {
            out.add("At " + at + ", latency relative to Next-ViT-S: " + String.join("; ", parts) + ".");
        }
        Measured resnet = find(rows, "resnet50");
        if (resnet != null) {
            out.add(String.format(Locale.ROOT, "At %s, Next-ViT-S takes %.2fx ResNet-50's latency for %.2fx its GMACs.",
                    at, s.ms() / resnet.ms(), s.gmacs() / resnet.gmacs()));
        }
        return out;
    }

    /** The paper's downstream figures for the rows' backbones, for context beside the latencies. */
    private static Section paperSection(List<String> models) {
        Section s = new Section("paper", "The paper's downstream figures (whole detector / segmenter)", List.of(
                "backbone", "Mask R-CNN 1x params (M)", "Mask R-CNN GFLOPs (800x1280)", "bbox mAP", "mask mAP",
                "Semantic FPN GFLOPs (512x2048)", "FPN mIoU", "UperNet GFLOPs (512x2048)", "UperNet mIoU (ss)",
                "TensorRT ms (backbone)", "CoreML ms (backbone)"));
        for (String m : models) {
            PaperFigures.Downstream p = PaperFigures.downstream(m);
            if (p == null) {
                s.add(List.of(NextVitModelsTable.label(m), "", "", "", "", "", "", "", "", "", ""));
            } else {
                s.add(List.of(p.paperName(), Fmt.num(p.maskRcnnParamsM(), 1), Fmt.num(p.maskRcnnGflops(), 0),
                        Fmt.num(p.boxMap(), 1), Fmt.num(p.maskMap(), 1), Fmt.num(p.fpnGflops(), 0),
                        Fmt.num(p.fpnMiou(), 1), Fmt.num(p.upernetGflops(), 0), Fmt.num(p.upernetMiou(), 1),
                        Fmt.num(p.gpuMs(), 1), Fmt.num(p.mobileMs(), 1)));
            }
        }
        return s;
    }

    private static Measured find(List<Measured> rows, String zooName) {
        return rows.stream().filter(m -> m.run().zooName().equals(zooName)).findFirst().orElse(null);
    }
}
