package dev.vitrt.cli;

import dev.vitrt.models.weights.NonFiniteWeightsException;
import dev.vitrt.models.zoo.UnknownModelException;
import dev.vitrt.models.zoo.Zoo;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Bad input ends in one clear line on stderr and a non-zero exit; the stack trace only with {@code --verbose}.
 * Exit codes: 2 usage errors (bad options, an unknown command or option: the closest name is suggested), 1
 * everything else, unless a command declares its own failure code ({@code exitCodeOnExecutionException}: compare
 * keeps 1 for "outputs differ" and fails with 2).
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        err.println(prefix(cmd) + message(ex));
        if (verbose(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        if (causedBy(ex, UnknownModelException.class)) {
            return EXIT_USAGE; // a mistyped model name is a bad argument, like a mistyped option
        }
        return cmd.getCommandSpec().exitCodeOnExecutionException(); // 1 unless a command says otherwise (compare: 2)
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(prefix(cmd) + usageMessage(ex) + " (see --help)");
        err.flush();
        return EXIT_USAGE;
    }

    /**
     * picocli's message, or for a mistyped command or option {@code unknown command 'profil'; did you mean
     * 'profile'?}: the closest visible name as picocli ranks them (commands by similarity, options by prefix).
     */
    static String usageMessage(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            List<String> close = u.getSuggestions();
            String hint = close.isEmpty() ? "" : "; did you mean '" + close.get(0) + "'?";
            if (arg.startsWith("-")) {
                return "unknown option '" + (arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg) + "'" + hint;
            }
            if (u.getCommandLine().getSubcommands().isEmpty()) {
                return "unexpected argument '" + arg + "'"; // picocli: "Unmatched argument at index 1: 'x'"
            }
            return "unknown command '" + arg + "'" + (close.isEmpty() || !nearMiss(arg, close.get(0)) ? "" : hint);
        }
        // picocli starts some messages with its own "Error: " (mutually exclusive options): the prefix says it already
        return ex.getMessage().startsWith("Error: ") ? ex.getMessage().substring("Error: ".length()) : ex.getMessage();
    }

    /**
     * Whether {@code typed} is a slip of {@code name}: picocli ranks every command, so a word like none of them still
     * gets a "closest" one ({@code nosuch}: reproduce); only a prefix or a few edits away is worth suggesting.
     */
    static boolean nearMiss(String typed, String name) {
        if (typed.length() >= 2 && name.startsWith(typed)) {
            return true;
        }
        return Zoo.editDistance(typed, name) <= Math.max(1, name.length() / 3);
    }

    /** {@code vitrt: error: } or {@code vitrt CMD: error: }, the same for usage and execution errors. */
    private static String prefix(CommandLine cmd) {
        return cmd.getCommandName().equals("vitrt") ? "vitrt: error: " : "vitrt " + cmd.getCommandName() + ": error: ";
    }

    /** The most specific useful message along the cause chain. */
    static String message(Throwable ex) {
        Throwable t = ex;
        String msg = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                msg = t.getMessage();
                if (!(t instanceof java.lang.reflect.InvocationTargetException)) {
                    break;
                }
            }
            t = t.getCause();
        }
        if (msg == null) {
            msg = ex.getClass().getSimpleName();
        } else if (causedBy(ex, NonFiniteWeightsException.class)) {
            msg = msg + " (--allow-nonfinite loads it anyway)";
        } else if (ex instanceof java.nio.file.NoSuchFileException) {
            msg = "no such file: " + msg;
        } else if (ex instanceof java.nio.file.AccessDeniedException) {
            msg = "permission denied: " + msg;
        }
        return msg.lines().findFirst().orElse(msg);
    }

    private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean verbose(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
