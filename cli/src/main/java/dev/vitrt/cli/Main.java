package dev.vitrt.cli;

import dev.vitrt.runtime.io.TemporaryFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of the {@code vitrt} command line: registers the subcommands and maps errors to exit codes. */
@Command(name = "vitrt",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Efficient vision transformers (Next-ViT, MobileViTv2) from Java to ONNX Runtime and TensorRT.",
        subcommands = {
                ModelsCommand.class,
                ExportCommand.class,
                CalibrateCommand.class,
                ValidateCommand.class,
                ProfileCommand.class,
                InferCommand.class,
                CompareCommand.class,
                BuildEngineCommand.class,
                TritonExportCommand.class,
                ReproduceCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces and debug detail on errors.")
    boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(new ErrorHandler());
        // whatever a command leaves in temporary files (exports of zoo models, engines) goes when it ends
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return run.execute(parseResult);
            } finally {
                TemporaryFiles.deleteAll();
            }
        });
        return cl;
    }

    public static void main(String[] args) {
        Interrupts.install();
        System.exit(commandLine().execute(args));
    }
}
