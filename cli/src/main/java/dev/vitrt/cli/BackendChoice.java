package dev.vitrt.cli;

import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
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
}
