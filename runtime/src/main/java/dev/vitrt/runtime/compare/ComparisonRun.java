package dev.vitrt.runtime.compare;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs models one after another on the same input, as Polygraphy's {@code Comparator.run} does: each model is open
 * only for its own run (two large engines are never held at once), the input is made once, for the first model's
 * input, and every later model must accept it. Compare the outputs with {@link OutputComparison#ofAll}.
 */
public final class ComparisonRun {
    /** One model on one backend, opened when its turn comes and closed after its run. */
    @FunctionalInterface
    public interface Opener {
        Backend open() throws IOException, BackendException;
    }

    /** What the models run on, made for the first model's (single) input: an .npy file, seeded random data, .... */
    @FunctionalInterface
    public interface InputLoader {
        FloatTensor load(Backend first, TensorSpec input) throws IOException;
    }

    /** Hears of the input once it is made (to save it before any later model can fail, say). */
    @FunctionalInterface
    public interface InputListener {
        void made(TensorSpec input, FloatTensor tensor) throws IOException;
    }

    /** The input and each model's outputs, in the order the models ran. */
    public record Results(FloatTensor input, List<Map<String, FloatTensor>> outputs) {
        public Results {
            outputs = List.copyOf(outputs);
        }
    }

    private ComparisonRun() {
    }

    /**
     * Runs each model in turn on one input.
     *
     * @throws IllegalArgumentException when a model has more than one input, or a later one does not accept the input
     */
    public static Results run(List<Opener> models, InputLoader loader, InputListener listener)
            throws IOException, BackendException {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to run");
        }
        List<Map<String, FloatTensor>> outputs = new ArrayList<>();
        FloatTensor x = null;
        for (Opener m : models) {
            try (Backend b = m.open()) {
                TensorSpec in = b.singleInput();
                if (x == null) {
                    x = loader.load(b, in);
                    listener.made(in, x);
                }
                in.checkShape(x.shape());
                outputs.add(b.run(Map.of(in.name(), x)));
            }
        }
        return new Results(x, outputs);
    }
}
