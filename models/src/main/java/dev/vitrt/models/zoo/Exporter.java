package dev.vitrt.models.zoo;

import dev.vitrt.models.deploy.DeploymentPasses;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.MacCounter;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.weights.Params;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.ModelMetadata.FeatureMap;
import dev.vitrt.runtime.classify.ClassNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a zoo model, as a classifier or as a backbone's feature maps, into a deployment-form graph: the definition
 * (BatchNorms folded as it goes), then the {@link DeploymentPasses}; the block table and preprocessing go into the
 * metadata.
 */
public final class Exporter {
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
        Tensor input = g.input("input", ElementType.FLOAT32, batch, 3, size.height(), size.width());
        ModelContext ctx = new ModelContext(g, params, blocks, classes);
        List<String> notes = new ArrayList<>();
        List<FeatureMap> features = null;
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
        ModelMetadata md = ModelMetadata.empty().withModel(e.name(), e.family()).withInputSize(size);
        if (features == null) {
            // every 1000-class head of the zoo's tags is ImageNet-1k's
            md = md.withClasses(classes, classes == IMAGENET_CLASSES ? ClassNames.IMAGENET_1K : null);
        }
        if (e.tag() != null) {
            md = md.withPretrainedTag(e.fullName());
        }
        md = md.withPreprocessing(pre.mean(), pre.std(), pre.cropPct(), pre.interpolation())
                .withCounts(params.parameterCount(), macs, deployMacs)
                .withBlockTags(blocks.tags());
        if (features != null) {
            md = md.withFeatures(features);
        }
        graph.metadata.putAll(md.asMap());
        return new ExportedModel(e, graph, params.parameterCount(), macs, size, features == null ? classes : 0, w,
                headReset && features == null, List.copyOf(notes));
    }

    /** Builds the requested feature levels as outputs {@code features.0}, ...; returns their metadata entries. */
    private static List<FeatureMap> buildFeatures(ZooEntry e, ModelDefinition def, ModelContext ctx,
                                                           Tensor input, ExportOptions o, InputSize size) {
        FeatureLevels levels = FeatureLevels.of(e, def, o.features(), size);
        List<Tensor> maps = ((Backbone) def).features(ctx, input, levels.deepest());
        List<FeatureMap> features = new ArrayList<>();
        for (int k = 0; k < levels.selected().size(); k++) {
            int level = levels.selected().get(k);
            FeatureInfo f = levels.info().get(level);
            Tensor out = ctx.g().output(maps.get(level), "features." + k);
            if (out.dim(1) != f.channels()) {
                throw new IllegalStateException(e.name() + " level " + level + " has " + out.dim(1) + " channels, "
                        + "feature_info says " + f.channels());
            }
            features.add(new FeatureMap(out.name(), level, f.module(), f.channels(), f.reduction()));
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
        if (o.opset() < ExportOptions.MIN_OPSET || o.opset() > ExportOptions.MAX_OPSET) {
            throw new IllegalArgumentException("opset must be between " + ExportOptions.MIN_OPSET + " and "
                    + ExportOptions.MAX_OPSET + ", got " + o.opset());
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
}
