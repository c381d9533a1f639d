package dev.vitrt.models.zoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.models.deploy.DeploymentPasses;
import dev.vitrt.models.graph.DType;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.MacCounter;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.weights.Params;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a zoo model, as a classifier or as a backbone's feature maps, into a deployment-form graph: the definition
 * (BatchNorms folded as it goes), then the {@link DeploymentPasses}; the block table and preprocessing go into the
 * metadata.
 */
public final class Exporter {
    /** Multiply-adds per image of the graph as written, after the deployment passes ({@code vitrt.macs} is before). */
    public static final String DEPLOY_MACS = "vitrt.deploy_macs";
    /** A feature export's outputs: name, level, timm module, channels and stride of each, as a JSON array. */
    public static final String FEATURES = "vitrt.features";
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
     * {@code num_classes} does with pretrained weights). A feature export reads a classification checkpoint and
     * leaves its head unused.
     */
    public static ExportedModel export(ZooEntry e, ExportOptions o) throws IOException {
        validate(e, o);
        if (o.numClasses() < 0) {
            throw new IllegalArgumentException("numClasses must be at least 1 (or 0 for the checkpoint's), got "
                    + o.numClasses());
        }
        if (o.isFeatures() && o.numClasses() > 0) {
            throw new IllegalArgumentException("numClasses sizes a classifier; a feature export has none");
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
        build(e, ExportOptions.defaults().withDeploymentPasses(false), p, e.numClasses(), null, false);
        return p.declared();
    }

    private static ExportedModel build(ZooEntry e, ExportOptions o, Params params, int classes, ImportedWeights w,
                                       boolean headReset) {
        InputSize size = validate(e, o);
        ModelDefinition def = e.definition().get();
        GraphBuilder g = new GraphBuilder(e.name(), o.opset());
        g.dynamicSize(o.dynamicSize());
        BlockTable blocks = new BlockTable();
        int batch = o.batch() == 0 ? 1 : o.batch();
        Tensor input = g.input("input", DType.FLOAT, batch, 3, size.height(), size.width());
        ModelContext ctx = new ModelContext(g, params, blocks, classes);
        List<String> notes = new ArrayList<>();
        List<Map<String, Object>> features = null;
        if (o.isFeatures()) {
            features = buildFeatures(e, def, ctx, input, o, size);
            String unused = unusedKeys(params);
            if (unused != null) {
                notes.add("ignored checkpoint keys the feature graph does not use: " + unused);
            }
        } else {
            g.output(def.build(ctx, input), "logits");
            params.checkAllUsed(e.name());
        }

        Graph graph = g.graph();
        graph.dynamicBatch = o.batch() == 0;
        long macs = MacCounter.macsPerImage(graph);
        if (o.deploymentPasses()) {
            DeploymentPasses.apply(graph);
        }
        long deployMacs = MacCounter.macsPerImage(graph);
        Preprocessing pre = e.preprocessing();
        graph.metadata.put("vitrt.model", e.name());
        graph.metadata.put("vitrt.family", e.family());
        if (size.isSquare()) {
            graph.metadata.put("vitrt.input_size", Integer.toString(size.height()));
        }
        graph.metadata.put("vitrt.input_height", Integer.toString(size.height()));
        graph.metadata.put("vitrt.input_width", Integer.toString(size.width()));
        if (features == null) {
            graph.metadata.put("vitrt.num_classes", Integer.toString(classes));
            if (classes == IMAGENET_CLASSES) {
                graph.metadata.put("vitrt.class_names", "imagenet-1k"); // every 1000-class head of the zoo's tags
            }
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
        graph.metadata.put(DEPLOY_MACS, Long.toString(deployMacs));
        try {
            graph.metadata.put("vitrt.blocks", JSON.writeValueAsString(blocks.blocks()));
            graph.metadata.put("vitrt.parts", JSON.writeValueAsString(blocks.parts()));
            if (features != null) {
                graph.metadata.put(FEATURES, JSON.writeValueAsString(features));
            }
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        return new ExportedModel(e, graph, params.parameterCount(), macs, size, features == null ? classes : 0, w,
                headReset && features == null, List.copyOf(notes));
    }

    /** Builds the requested feature levels as outputs {@code features.0}, ...; returns their metadata entries. */
    private static List<Map<String, Object>> buildFeatures(ZooEntry e, ModelDefinition def, ModelContext ctx,
                                                           Tensor input, ExportOptions o, InputSize size) {
        FeatureLevels levels = FeatureLevels.of(e, def, o.features(), size);
        List<Tensor> maps = ((Backbone) def).features(ctx, input, levels.deepest());
        List<Map<String, Object>> features = new ArrayList<>();
        for (int k = 0; k < levels.selected().size(); k++) {
            int level = levels.selected().get(k);
            FeatureInfo f = levels.info().get(level);
            Tensor out = ctx.g().output(maps.get(level), "features." + k);
            if (out.dim(1) != f.channels()) {
                throw new IllegalStateException(e.name() + " level " + level + " has " + out.dim(1) + " channels, "
                        + "feature_info says " + f.channels());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", out.name());
            m.put("index", level);
            m.put("module", f.module());
            m.put("channels", f.channels());
            m.put("stride", f.reduction());
            features.add(m);
        }
        return features;
    }

    /**
     * The checkpoint keys the graph left unused, grouped by top-level module ({@code head.* (2), norm.* (4)}), or null
     * for none: a classification checkpoint holds a head that a feature graph has no use for.
     */
    private static String unusedKeys(Params params) {
        Map<String, Integer> groups = new TreeMap<>();
        for (String key : params.unusedKeys()) {
            String[] parts = key.split("\\.");
            String group = parts[0];
            // a module the graph uses in part (stages) is named one level deeper
            if (parts.length > 2 && (group.equals("stages") || group.equals("blocks"))) {
                group = parts[0] + "." + parts[1];
            }
            groups.merge(group + ".*", 1, Integer::sum);
        }
        if (groups.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        groups.forEach((k, n) -> out.add(k + " (" + n + ")"));
        return String.join(", ", out);
    }

    /** Checks the options before any work is done; returns the input size to build at. */
    private static InputSize validate(ZooEntry e, ExportOptions o) {
        if (o.batch() < 0) {
            throw new IllegalArgumentException("batch must be at least 1, got " + o.batch());
        }
        if (o.opset() < 13 || o.opset() > 21) {
            throw new IllegalArgumentException("opset must be between 13 and 21, got " + o.opset());
        }
        InputSize size = o.size().or(InputSize.square(e.inputSize()));
        for (int side : new int[] {size.height(), size.width()}) {
            if (side < 32 || side > 4096) {
                throw new IllegalArgumentException("input size must be between 32 and 4096, got " + size);
            }
        }
        if (o.isFeatures()) {
            FeatureLevels.of(e, e.definition().get(), o.features(), size);
        }
        if (o.dynamicSize() && !(e.definition().get() instanceof Backbone)) {
            throw new IllegalArgumentException(e.name() + " cannot be exported with a dynamic size (the nextvit, "
                    + "mobilevitv2 and resnet families can)");
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
