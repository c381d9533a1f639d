package dev.vitrt.models.zoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.models.graph.DType;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.MacCounter;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.weights.Params;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds a zoo model into a deployment-form graph with its block table and preprocessing in the metadata. */
public final class Exporter {
    /**
     * Graph metadata a definition may set: multiply-adds per image that a deployment rewrite removed from the graph
     * (e.g. two linear layers merged into one). They are added back so that {@code vitrt.macs} stays the model's
     * (the papers') count; {@code vitrt.deploy_macs} is what the graph itself does.
     */
    public static final String MACS_FOLDED = "vitrt.macs_folded";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IMAGENET_CLASSES = 1000;

    private Exporter() {
    }

    public static ExportedModel export(String name, ExportOptions o) throws IOException {
        return export(Zoo.get(name), o);
    }

    /**
     * Builds {@code e}. With a checkpoint, its key layout is recognised and the classifier gets the checkpoint's size
     * unless {@code o.numClasses()} asks for another, in which case it is initialised afresh (as timm's
     * {@code num_classes} does with pretrained weights).
     */
    public static ExportedModel export(ZooEntry e, ExportOptions o) throws IOException {
        validate(e, o);
        if (o.numClasses() < 0) {
            throw new IllegalArgumentException("numClasses must be at least 1 (or 0 for the checkpoint's), got "
                    + o.numClasses());
        }
        if (o.weights() == null) {
            int classes = o.numClasses() > 0 ? o.numClasses() : e.numClasses();
            return build(e, o, new Params(null, o.seed()), classes, null, false);
        }
        ImportedWeights w = CheckpointImport.load(e, o.weights(), o.preferEma());
        int classes = o.numClasses() > 0 ? o.numClasses() : w.numClasses() > 0 ? w.numClasses() : e.numClasses();
        boolean reset = w.numClasses() > 0 && classes != w.numClasses();
        Set<String> fresh = reset ? Set.of(e.classifier() + ".weight", e.classifier() + ".bias") : Set.of();
        return build(e, o, new Params(w.weights(), o.seed(), fresh, o.allowNonFinite()), classes, w, reset);
    }

    /** Parameter and MAC counts at the default input size, without weights (all zero). */
    public static ExportedModel describe(ZooEntry e) {
        return build(e, ExportOptions.defaults(), Params.zeros(), e.numClasses(), null, false);
    }

    /** The keys (parameters and buffers) a model reads from a checkpoint, with their shapes, in timm's names. */
    static Map<String, long[]> declaredKeys(ZooEntry e) {
        Params p = Params.zeros();
        build(e, ExportOptions.defaults(), p, e.numClasses(), null, false);
        return p.declared();
    }

    private static ExportedModel build(ZooEntry e, ExportOptions o, Params params, int classes, ImportedWeights w,
                                       boolean headReset) {
        int size = validate(e, o);
        GraphBuilder g = new GraphBuilder(e.name(), o.opset());
        BlockTable blocks = new BlockTable();
        int batch = o.batch() == 0 ? 1 : o.batch();
        Tensor input = g.input("input", DType.FLOAT, batch, 3, size, size);
        Tensor logits = e.definition().get().build(new ModelContext(g, params, blocks, classes), input);
        g.output(logits, "logits");
        params.checkAllUsed(e.name());

        Graph graph = g.graph();
        graph.dynamicBatch = o.batch() == 0;
        long deployMacs = MacCounter.macsPerImage(graph);
        long macs = deployMacs + Long.parseLong(graph.metadata.getOrDefault(MACS_FOLDED, "0"));
        Preprocessing pre = e.preprocessing();
        graph.metadata.put("vitrt.model", e.name());
        graph.metadata.put("vitrt.family", e.family());
        graph.metadata.put("vitrt.input_size", Integer.toString(size));
        graph.metadata.put("vitrt.num_classes", Integer.toString(classes));
        if (classes == IMAGENET_CLASSES) {
            graph.metadata.put("vitrt.class_names", "imagenet-1k"); // every 1000-class head of the zoo's tags
        }
        if (e.tag() != null) {
            graph.metadata.put("vitrt.pretrained_tag", e.fullName());
        }
        graph.metadata.put("vitrt.mean", csv(pre.mean()));
        graph.metadata.put("vitrt.std", csv(pre.std()));
        graph.metadata.put("vitrt.crop_pct", Double.toString(pre.cropPct()));
        graph.metadata.put("vitrt.interpolation", pre.interpolation());
        graph.metadata.put("vitrt.params", Long.toString(params.parameterCount()));
        graph.metadata.put("vitrt.macs", Long.toString(macs));
        graph.metadata.put("vitrt.deploy_macs", Long.toString(deployMacs));
        try {
            graph.metadata.put("vitrt.blocks", JSON.writeValueAsString(blocks.blocks()));
            graph.metadata.put("vitrt.parts", JSON.writeValueAsString(blocks.parts()));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        return new ExportedModel(e, graph, params.parameterCount(), macs, size, classes, w, headReset);
    }

    /** Checks the options before any work is done; returns the input size to build at. */
    private static int validate(ZooEntry e, ExportOptions o) {
        if (o.batch() < 0) {
            throw new IllegalArgumentException("batch must be at least 1, got " + o.batch());
        }
        if (o.opset() < 13 || o.opset() > 21) {
            throw new IllegalArgumentException("opset must be between 13 and 21, got " + o.opset());
        }
        int size = o.inputSize() != 0 ? o.inputSize() : e.inputSize();
        if (size < 32 || size > 4096) {
            throw new IllegalArgumentException("input size must be between 32 and 4096, got " + size);
        }
        return size;
    }

    private static String csv(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float f : v) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(String.format(Locale.ROOT, "%s", f));
        }
        return sb.toString();
    }
}
