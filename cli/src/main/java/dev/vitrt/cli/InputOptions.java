package dev.vitrt.cli;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.bench.Inputs;
import dev.vitrt.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import picocli.CommandLine.Option;

/** What a model runs on when it is timed or compared: an .npy file, or seeded random data: {@code @Mixin}. */
final class InputOptions {
    @Option(names = "--input", paramLabel = "X.npy",
            description = "Float32 input, C order, of a shape the model accepts (default: seeded random, standard normal).")
    Path input;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the random input (default: ${DEFAULT-VALUE}).")
    long seed;

    /**
     * The .npy input, or a random one of {@code batch} images of the side {@code size} gives (0: the model's fixed
     * size; asked only for random data).
     */
    FloatTensor tensor(TensorSpec spec, int batch, IntSupplier size) throws IOException {
        return input != null ? Inputs.fromNpy(input, spec) : Inputs.random(spec, batch, size.getAsInt(), seed);
    }

    /** {@code input [dtype=float32, shape=(1, 3, 256, 256)] from x.npy}, or {@code ... seeded random (--seed 0)}. */
    String describe(FloatTensor x) {
        return "input " + x.dtypeAndShape() + (input != null ? " from " + input
                : " seeded random (--seed " + seed + ")");
    }

    /** The batch the input will have: the .npy file's first dimension, else {@code random}. */
    int batch(int random) throws IOException {
        return input == null ? random : batchOf(input);
    }

    /** The first dimension of an .npy file (1 for a scalar or an empty batch: the run refuses it with its shape). */
    static int batchOf(Path npy) throws IOException {
        long[] shape = Npy.readHeader(npy).shape();
        return shape.length == 0 ? 1 : (int) Math.max(1, Math.min(shape[0], Integer.MAX_VALUE));
    }
}
