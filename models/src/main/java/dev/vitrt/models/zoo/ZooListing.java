package dev.vitrt.models.zoo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The zoo and its pretrained tags as rows: a text table (one header, one line per model or tag) and JSON objects.
 * One place for both, so that {@code vitrt models} and a Java caller list the same fields.
 */
public final class ZooListing {
    /** Header of {@link #modelRow}. */
    public static final String MODEL_HEADER = String.format(Locale.ROOT, "%-28s %-20s %14s %8s %6s  %s", "name",
            "family", "params", "GMACs", "input", "description");
    /** Header of {@link #tagRow}. */
    public static final String TAG_HEADER = String.format(Locale.ROOT, "%-42s %6s %6s %-9s %-22s %-22s  %s", "name",
            "input", "crop", "interp", "mean", "std", "weights (Hugging Face Hub)");

    private ZooListing() {
    }

    /** A model's row: name, family, parameters, GMACs and input side at its default size, description. */
    public static String modelRow(ExportedModel m) {
        ZooEntry e = m.entry();
        return String.format(Locale.ROOT, "%-28s %-20s %,14d %8.2f %6d  %s", e.name(), e.family(), m.parameters(),
                m.gmacs(), e.inputSize(), e.description());
    }

    /**
     * Adds {@code {name, family, params, gmacs, input_size, nodes, deploy_gmacs}} to {@code array}: gmacs as the
     * papers count them, nodes and deploy_gmacs of the deployed graph; gflops repeats gmacs under its old name.
     */
    public static void addModel(ArrayNode array, ExportedModel m) {
        ZooEntry e = m.entry();
        ObjectNode o = array.addObject();
        o.put("name", e.name());
        o.put("family", e.family());
        o.put("params", m.parameters());
        double gmacs = Math.round(m.gmacs() * 1000) / 1000.0;
        o.put("gmacs", gmacs);
        o.put("gflops", gmacs); // deprecated alias of gmacs (the value always was GMACs)
        o.put("input_size", e.inputSize());
        o.put("nodes", m.graph().nodes.size());
        o.put("deploy_gmacs", Math.round(m.deployMacs() / 1e6) / 1000.0);
    }

    /** A tag's row: name, input side, crop, interpolation, mean, std, Hugging Face Hub repository. */
    public static String tagRow(PretrainedTag t) {
        Preprocessing p = t.preprocessing();
        return String.format(Locale.ROOT, "%-42s %6d %6.3f %-9s %-22s %-22s  %s", t.name(), t.inputSize(), p.cropPct(),
                p.interpolation(), triple(p.mean()), triple(p.std()), t.hubRepository());
    }

    /** Adds {@code {name, model, input_size, crop_pct, interpolation, mean, std, num_classes, hub}} to {@code array}. */
    public static void addTag(ArrayNode array, PretrainedTag t) {
        Preprocessing p = t.preprocessing();
        ObjectNode o = array.addObject();
        o.put("name", t.name());
        o.put("model", t.model());
        o.put("input_size", t.inputSize());
        o.put("crop_pct", p.cropPct());
        o.put("interpolation", p.interpolation());
        ArrayNode mean = o.putArray("mean");
        ArrayNode std = o.putArray("std");
        for (int i = 0; i < 3; i++) {
            mean.add(p.mean()[i]);
            std.add(p.std()[i]);
        }
        o.put("num_classes", t.numClasses());
        o.put("hub", t.hubRepository());
    }

    private static String triple(float[] v) {
        return String.format(Locale.ROOT, "%.3f,%.3f,%.3f", v[0], v[1], v[2]);
    }
}
