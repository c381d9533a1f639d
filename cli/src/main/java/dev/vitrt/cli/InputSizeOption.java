package dev.vitrt.cli;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.TensorSpec;
import picocli.CommandLine.Option;

/** The image side a model runs at, the same in every command that runs one: {@code @Mixin InputSizeOption}. */
final class InputSizeOption {
    @Option(names = "--input-size", paramLabel = "N", converter = Bounds.InputSize.class,
            description = "Image side in pixels: a zoo model is exported at it, a graph with a dynamic size runs at it"
                    + " (default: the graph's fixed size, else the size in its metadata, else 224).")
    Integer inputSize;

    /** The side {@code spec} runs at by ModelMetadata's input-size rule; 0 for a non-square one (its fixed shape). */
    int side(Backend b, TensorSpec spec) {
        InputSize s = ModelMetadata.of(b.metadata()).inputSize(spec.shape(),
                inputSize == null ? null : InputSize.square(inputSize));
        return s.isSquare() ? s.height() : 0;
    }
}
