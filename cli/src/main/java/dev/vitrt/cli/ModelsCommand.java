package dev.vitrt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.models.zoo.Preprocessing;
import dev.vitrt.models.zoo.PretrainedTag;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.models.zoo.ZooEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vitrt models}: the zoo with parameter counts (as timm counts them) and GMACs at the default size. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the model zoo: name, family, parameters, GMACs and default input size.")
public final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print a JSON array of {name, family, params, gmacs, input_size, nodes, "
            + "deploy_gmacs}: gmacs as the papers count them, nodes and deploy_gmacs of the deployed graph (after the "
            + "fc2 merges); gflops repeats gmacs under its old name for one release. With --tags: {name, model, "
            + "input_size, crop_pct, interpolation, mean, std, num_classes, hub}.")
    boolean json;

    @Option(names = "--tags", description = "List the pretrained tags (timm's names, e.g. nextvit_small.bd_in1k_384)"
            + " with the evaluation settings each puts in an exported graph, and where timm publishes the weights.")
    boolean tags;

    @Option(names = "--family", description = "Only models of this family (e.g. nextvit, mobilevitv2, resnet).")
    String family;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode arr = mapper.createArrayNode();
        if (tags) {
            listTags(out, arr);
        } else {
            listModels(out, arr);
        }
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        }
        out.flush();
        return 0;
    }

    private void listTags(PrintWriter out, ArrayNode arr) {
        if (!json) {
            out.printf(Locale.ROOT, "%-42s %6s %6s %-9s %-22s %-22s  %s%n", "name", "input", "crop", "interp", "mean", "std",
                    "weights (Hugging Face Hub)");
        }
        for (PretrainedTag t : Zoo.tags()) {
            ZooEntry e = Zoo.get(t.model());
            if (family != null && !e.family().equals(family)) {
                continue;
            }
            Preprocessing p = t.preprocessing();
            if (json) {
                ObjectNode o = arr.addObject();
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
            } else {
                out.printf(Locale.ROOT, "%-42s %6d %6.3f %-9s %-22s %-22s  %s%n", t.name(), t.inputSize(), p.cropPct(),
                        p.interpolation(), triple(p.mean()), triple(p.std()), t.hubRepository());
            }
        }
    }

    private static String triple(float[] v) {
        return String.format(Locale.ROOT, "%.3f,%.3f,%.3f", v[0], v[1], v[2]);
    }

    private void listModels(PrintWriter out, ArrayNode arr) {
        if (!json) {
            out.printf(Locale.ROOT, "%-28s %-20s %14s %8s %6s  %s%n", "name", "family", "params", "GMACs", "input", "description");
            out.flush();
        }
        List<ZooEntry> entries = Zoo.all().stream().filter(e -> family == null || e.family().equals(family)).toList();
        // each count builds the model's graph (a second or so for the large ones): rows are printed as they come,
        // with a bar saying which model is being counted
        try (ProgressBar bar = new ProgressBar("vitrt models:")) {
            for (int i = 0; i < entries.size(); i++) {
                ZooEntry e = entries.get(i);
                bar.update("counting " + e.name(), i, entries.size());
                ExportedModel m = Exporter.describe(e);
                bar.clear();
                row(out, arr, e, m);
            }
        }
    }

    private void row(PrintWriter out, ArrayNode arr, ZooEntry e, ExportedModel m) {
        if (json) {
            ObjectNode o = arr.addObject();
            o.put("name", e.name());
            o.put("family", e.family());
            o.put("params", m.parameters());
            double gmacs = Math.round(m.gmacs() * 1000) / 1000.0;
            o.put("gmacs", gmacs);
            o.put("gflops", gmacs); // deprecated alias of gmacs (the value always was GMACs)
            o.put("input_size", e.inputSize());
            o.put("nodes", m.graph().nodes.size());
            o.put("deploy_gmacs", Math.round(m.deployMacs() / 1e6) / 1000.0);
        } else {
            out.printf(Locale.ROOT, "%-28s %-20s %,14d %8.2f %6d  %s%n", e.name(), e.family(), m.parameters(), m.gmacs(),
                    e.inputSize(), e.description());
            out.flush();
        }
    }
}
