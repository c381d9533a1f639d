package dev.vitrt.models.zoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.models.graph.DType;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.MacCounter;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.weights.Params;
import dev.vitrt.models.weights.SafeTensors;
import dev.vitrt.models.weights.StateDict;
import java.io.IOException;
import java.util.Locale;

/** Builds a zoo model into a deployment-form graph with its block table and preprocessing in the metadata. */
public final class Exporter {
    /**
     * Graph metadata a definition may set: multiply-adds per image that a deployment rewrite removed from the graph
     * (e.g. two linear layers merged into one). They are added back so that {@code vitrt.macs} stays the model's
     * (the papers') count; {@code vitrt.deploy_macs} is what the graph itself does.
     */
    public static final String MACS_FOLDED = "vitrt.macs_folded";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Exporter() {
    }

    public static ExportedModel export(String name, ExportOptions o) throws IOException {
        return export(Zoo.get(name), o);
    }

    public static ExportedModel export(ZooEntry e, ExportOptions o) throws IOException {
        validate(e, o);
        StateDict weights = o.weights() == null ? null : SafeTensors.read(o.weights());
        return build(e, o, new Params(weights, o.seed(), o.allowNonFinite()));
    }

    /** Parameter and MAC counts at the default input size, without weights (all zero). */
    public static ExportedModel describe(ZooEntry e) {
        return build(e, ExportOptions.defaults(), Params.zeros());
    }

    private static ExportedModel build(ZooEntry e, ExportOptions o, Params params) {
        int size = validate(e, o);
        GraphBuilder g = new GraphBuilder(e.name(), o.opset());
        BlockTable blocks = new BlockTable();
        int batch = o.batch() == 0 ? 1 : o.batch();
        Tensor input = g.input("input", DType.FLOAT, batch, 3, size, size);
        Tensor logits = e.definition().get().build(new ModelContext(g, params, blocks), input);
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
        graph.metadata.put("vitrt.num_classes", Integer.toString(e.numClasses()));
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
        return new ExportedModel(e, graph, params.parameterCount(), macs, size);
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
