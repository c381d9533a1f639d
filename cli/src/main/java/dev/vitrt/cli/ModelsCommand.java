package dev.vitrt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.models.zoo.ZooEntry;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vitrt models}: the zoo with parameter counts (as timm counts them) and GMACs at the default size. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the model zoo: name, family, parameters, GMACs and default input size.")
public final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--json", description = {"Print a JSON array of {name, family, params, gmacs, input_size, nodes,",
            "deploy_gmacs}: gmacs as the papers count them, nodes and deploy_gmacs of the deployed graph (after the",
            "fc2 merges). gflops repeats gmacs under its old name for one release."})
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
        }
        for (ZooEntry e : Zoo.all()) {
            if (family != null && !e.family().equals(family)) {
                continue;
            }
            ExportedModel m = Exporter.describe(e);
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
            }
        }
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        }
        out.flush();
        return 0;
    }
}
