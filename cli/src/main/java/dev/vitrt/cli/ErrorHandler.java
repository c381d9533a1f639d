package dev.vitrt.cli;

import dev.vitrt.models.weights.NonFiniteWeightsException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Bad input ends in one clear line on stderr and a non-zero exit; the stack trace only with {@code --verbose}.
 * Exit codes: 2 usage errors (bad options, an unknown command or option: the closest name is suggested), 1
 * everything else.
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
        return EXIT_FAILURE;
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
     * 'profile'?}: the closest visible name by edit distance, when one is close enough to be a typo.
     */
    static String usageMessage(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            CommandSpec spec = u.getCommandLine().getCommandSpec();
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("-")) {
                List<String> names = new ArrayList<>();
                spec.options().stream().filter(o -> !o.hidden()).forEach(o -> names.addAll(List.of(o.names())));
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                return "unknown option '" + name + "'" + suggestion(name, names);
            }
            if (!spec.subcommands().isEmpty()) {
                List<String> names = new ArrayList<>();
                spec.subcommands().forEach((n, c) -> {
                    if (!c.getCommandSpec().usageMessage().hidden()) {
                        names.add(n);
                    }
                });
                return "unknown command '" + arg + "'" + suggestion(arg, names);
            }
        }
        return ex.getMessage();
    }

    private static String suggestion(String typed, List<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            int d = editDistance(typed, n);
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        // a typo is a few edits away; a different word is not worth suggesting
        return best != null && bestDistance <= Math.max(2, typed.length() / 3) ? "; did you mean '" + best + "'?" : "";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
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
