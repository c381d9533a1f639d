package dev.vitrt.cli;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Inputs and outputs saved as, or reference outputs read from, one NAME.npy per tensor, as Polygraphy does. */
final class SavedTensors {
    @Option(names = "--save-inputs", paramLabel = "DIR", description = "Save the input as DIR/NAME.npy (for --input).")
    Path saveInputs;

    @Option(names = "--save-outputs", paramLabel = "DIR",
            description = "Save the outputs as DIR/NAME.npy (two runs: DIR/A and DIR/B).")
    Path saveOutputs;

    @Option(names = "--load-outputs", paramLabel = "DIR", description = "Reference outputs, one NAME.npy per output"
            + " (e.g. PyTorch's, saved with numpy.save), instead of B.")
    Path loadOutputs;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** A usage error when outputs would be saved into the folder the reference outputs are read from. */
    void checkDistinct() throws IOException {
        if (saveOutputs != null && loadOutputs != null && CommandFiles.same(saveOutputs, loadOutputs)) {
            throw new ParameterException(spec.commandLine(), "--save-outputs and --load-outputs name the same folder");
        }
    }

    boolean savesAny() {
        return saveInputs != null || saveOutputs != null;
    }

    /** Saves input {@code name} when asked, unless that would rewrite {@code given}, the file it was read from. */
    void saveInput(String name, FloatTensor x, Path given) throws IOException {
        if (saveInputs != null && !(given != null && CommandFiles.same(Npy.fileFor(saveInputs, name), given))) {
            Npy.writeAll(saveInputs, Map.of(name, x));
        }
    }

    /**
     * Saves each run's outputs when asked (in the folder for one run, in a subfolder per label for two), saying where,
     * and returns them followed by the reference outputs when {@code --load-outputs} gives them.
     */
    List<Map<String, FloatTensor>> saveAndLoad(List<String> labels, List<Map<String, FloatTensor>> outs)
            throws IOException {
        if (saveOutputs != null) {
            for (int i = 0; i < outs.size(); i++) {
                Npy.writeAll(outs.size() == 1 ? saveOutputs : saveOutputs.resolve(labels.get(i)), outs.get(i));
            }
            System.out.println("outputs saved in " + saveOutputs);
        }
        if (loadOutputs == null) {
            return outs;
        }
        List<Map<String, FloatTensor>> all = new ArrayList<>(outs);
        all.add(Npy.readAll(loadOutputs, List.copyOf(outs.get(0).keySet())));
        return all;
    }
}
