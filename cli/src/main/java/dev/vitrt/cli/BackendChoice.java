package dev.vitrt.cli;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which backend runs the model, and with how many threads: {@code @Mixin BackendChoice}. */
final class BackendChoice {
    @Option(names = "--backend", paramLabel = "auto|onnxruntime|tensorrt", defaultValue = "auto",
            description = "Backend; auto picks TensorRT where it can run, else ONNX Runtime (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", converter = Bounds.Threads.class,
            description = "ONNX Runtime intra-op threads; 0 = one per physical core, at most one per core (default:"
                    + " ${DEFAULT-VALUE}).")
    int threads;

    /** The backend asked for. */
    BackendKind kind() {
        return BackendKind.parse(backend);
    }

    /** Session options with these threads. */
    BackendOptions options() {
        return BackendOptions.defaults().withIntraOpThreads(threads);
    }

    /**
     * Opens {@code file} on the chosen backend; where TensorRT builds an engine from an .onnx file (on first use; later
     * opens take it from the engine cache), the build's progress shows on stderr under {@code label}.
     */
    static Backend open(Path file, Backends.Choice choice, BackendOptions options, String label)
            throws BackendException {
        if (choice.kind() != BackendKind.TENSORRT || ModelFiles.isPlan(file.toString())) {
            return Backends.open(file, choice, options);
        }
        try (EngineBuildProgress build = new EngineBuildProgress(System.err, label + ": TensorRT engine", false)) {
            return Backends.open(file, choice, options.withBuildListener(build));
        }
    }
}
