package dev.vitrt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
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
    @Option(names = "--json", description = "Print a JSON array of {name, family, params, gflops, input_size}.")
    boolean json;

    @Option(names = "--family", description = "Only models of this family (e.g. nextvit, mobilevitv2, resnet).")
    String family;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode arr = mapper.createArrayNode();
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
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        }
        out.flush();
        return 0;
    }

    private void row(PrintWriter out, ArrayNode arr, ZooEntry e, ExportedModel m) {
        if (json) {
            ObjectNode o = arr.addObject();
            o.put("name", e.name());
            o.put("family", e.family());
            o.put("params", m.parameters());
            o.put("gflops", Math.round(m.gmacs() * 1000) / 1000.0);
            o.put("input_size", e.inputSize());
        } else {
            out.printf(Locale.ROOT, "%-28s %-20s %,14d %8.2f %6d  %s%n", e.name(), e.family(), m.parameters(), m.gmacs(),
                    e.inputSize(), e.description());
            out.flush();
        }
    }
}
