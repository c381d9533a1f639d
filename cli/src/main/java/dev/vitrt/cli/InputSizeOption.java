package dev.vitrt.cli;

import picocli.CommandLine.Option;

/** The image side a model runs at, the same in every command that runs one: {@code @Mixin InputSizeOption}. */
final class InputSizeOption {
    @Option(names = "--input-size", paramLabel = "N", converter = Bounds.InputSize.class,
            description = "Image side in pixels: a zoo model is exported at it, a graph with a dynamic size runs at it"
                    + " (default: the model's, from its metadata or input shape).")
    Integer inputSize;
}
