package dev.vitrt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.models.zoo.PretrainedTag;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.models.zoo.ZooEntry;
import dev.vitrt.models.zoo.ZooListing;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

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

    @Option(names = "--family", converter = FamilyConverter.class,
            description = "Only models of this family (e.g. nextvit, mobilevitv2, resnet).")
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

    /** A family of the zoo, else a usage error that lists them. */
    static final class FamilyConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            List<String> families = Zoo.all().stream().map(ZooEntry::family).distinct().toList();
            if (!families.contains(value)) {
                throw new TypeConversionException("unknown family '" + value + "'; the zoo's: " + String.join(", ", families));
            }
            return value;
        }
    }

    private void listTags(PrintWriter out, ArrayNode arr) {
        if (!json) {
            out.println(ZooListing.TAG_HEADER);
        }
        for (PretrainedTag t : Zoo.tags()) {
            if (family != null && !Zoo.get(t.model()).family().equals(family)) {
                continue;
            }
            if (json) {
                ZooListing.addTag(arr, t);
            } else {
                out.println(ZooListing.tagRow(t));
            }
        }
    }

    private void listModels(PrintWriter out, ArrayNode arr) {
        if (!json) {
            out.println(ZooListing.MODEL_HEADER);
            out.flush();
        }
        List<ZooEntry> entries = Zoo.all().stream().filter(e -> family == null || e.family().equals(family)).toList();
        // each count builds the model's graph (a second or so for the large ones): rows are printed as they come,
        // with a bar saying which model is being counted
        try (ProgressBar bar = new ProgressBar("vitrt models:")) {
            for (int i = 0; i < entries.size(); i++) {
                bar.update("counting " + entries.get(i).name(), i, entries.size());
                ExportedModel m = Exporter.describe(entries.get(i));
                bar.clear();
                if (json) {
                    ZooListing.addModel(arr, m);
                } else {
                    out.println(ZooListing.modelRow(m));
                    out.flush();
                }
            }
        }
    }
}
