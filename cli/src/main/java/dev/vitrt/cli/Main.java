package dev.vitrt.cli;

import dev.vitrt.runtime.io.TemporaryFiles;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
                DoctorCommand.class,
                CommandLine.HelpCommand.class,
                AutoComplete.GenerateCompletion.class,
        })
public final class Main implements Callable<Integer> {
    /** Help text is wrapped to the terminal, and to this many columns where the terminal's width is unknown. */
    static final int USAGE_WIDTH = 100;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces and debug detail on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** {@code vitrt} alone: the usage on stderr and exit 2, as for any other usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("vitrt: error: no command given");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ErrorHandler.EXIT_USAGE;
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(new ErrorHandler());
        cl.setUsageHelpWidth(USAGE_WIDTH);
        cl.setUsageHelpAutoWidth(true);
        listExitCodes(cl);
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

    /** Every command's --help ends with the exit codes (a command that declares its own keeps them). */
    private static void listExitCodes(CommandLine cl) {
        CommandSpec s = cl.getCommandSpec();
        if (s.usageMessage().exitCodeList().isEmpty()) {
            s.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes());
        }
        cl.getSubcommands().values().forEach(Main::listExitCodes);
    }

    /** What every command exits with. */
    static Map<String, String> exitCodes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("0", "done");
        m.put("1", "failed: one line on stderr says why (--verbose adds the stack trace)");
        m.put("2", "usage error: an unknown command, option or model name, a bad or missing value");
        m.put("130", "interrupted by Ctrl-C (143: by SIGTERM); temporary files are removed");
        return m;
    }

    public static void main(String[] args) {
        CliLogging.install(java.util.Arrays.asList(args).contains("--verbose"));
        Interrupts.install();
        System.exit(commandLine().execute(args));
    }
}
