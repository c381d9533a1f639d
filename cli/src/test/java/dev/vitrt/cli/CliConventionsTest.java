package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** The conventions every command keeps: usage errors exit 2 naming what was meant, --help is the manual. */
class CliConventionsTest {
    @Test
    void noCommandPrintsTheUsageAndExits2() {
        CliRun r = CliRun.of();
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("vitrt: error: no command given"), r.err());
        assertTrue(r.err().contains("Usage: vitrt") && r.err().contains("Commands:"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anUnknownCommandOrOptionNamesTheClosestOne() {
        CliRun r = CliRun.of("profil", "mobilevitv2_050");
        assertEquals(2, r.exit());
        assertEquals("vitrt: error: unknown command 'profil'; did you mean 'profile'? (see --help)", r.err().strip());
        CliRun expot = CliRun.of("expot");
        assertEquals("vitrt: error: unknown command 'expot'; did you mean 'export'? (see --help)", expot.err().strip());
        CliRun option = CliRun.of("infer", "m.onnx", "--input", "x.npy", "--topp", "3");
        assertEquals(2, option.exit());
        assertEquals("vitrt infer: error: unknown option '--topp'; did you mean '--topk'? (see --help)",
                option.err().strip());
        CliRun qq = CliRun.of("qq");
        assertEquals(2, qq.exit());
        assertTrue(qq.err().startsWith("vitrt: error: unknown command 'qq'"), qq.err());
        // picocli ranks every command, so a word like none of them got one anyway ("did you mean 'reproduce'?")
        CliRun nosuch = CliRun.of("nosuch");
        assertEquals("vitrt: error: unknown command 'nosuch' (see --help)", nosuch.err().strip());
        CliRun prefix = CliRun.of("calib");
        assertTrue(prefix.err().contains("did you mean 'calibrate'?"), prefix.err());
        // picocli's own wordings in ours: no "Unmatched argument at index 1", no "error: Error:"
        CliRun extra = CliRun.of("models", "extra");
        assertEquals(2, extra.exit());
        assertEquals("vitrt models: error: unexpected argument 'extra' (see --help)", extra.err().strip());
        CliRun both = CliRun.of("infer", "m.onnx", "--input", "x.npy", "--image", "y.png");
        assertEquals(2, both.exit());
        assertTrue(both.oneLineError() && both.err().startsWith("vitrt infer: error: --input")
                && both.err().contains("mutually exclusive"), both.err());
    }

    @Test
    void everyHelpListsTheExitCodes() {
        List<String> commands = new ArrayList<>(List.of(""));
        commands.addAll(Main.commandLine().getSubcommands().keySet());
        commands.remove("help");
        for (String name : commands) {
            CliRun r = name.isEmpty() ? CliRun.of("--help") : CliRun.of(name, "--help");
            assertEquals(0, r.exit(), name);
            // a command with codes of its own (compare: 1 = outputs differ) lists the same codes, in its words
            Map<String, String> own = name.isEmpty() ? Map.of()
                    : Main.commandLine().getSubcommands().get(name).getCommandSpec().usageMessage().exitCodeList();
            boolean itsOwn = !own.isEmpty() && !own.equals(Main.exitCodes());
            for (Map.Entry<String, String> e : Main.exitCodes().entrySet()) {
                assertTrue(r.out().contains("Exit codes:") && r.out().contains(e.getKey() + " ")
                        && (itsOwn ? own.containsKey(e.getKey()) : r.out().contains(e.getValue())), name + ": " + r.out());
            }
        }
    }

    @Test
    void topkIsSpelledAsTimmsInferenceAndTheOldSpellingStillWorks() {
        CommandSpec infer = Main.commandLine().getSubcommands().get("infer").getCommandSpec();
        assertNotNull(infer.findOption("--topk"));
        assertTrue(infer.findOption("--top").hidden(), "the old spelling is accepted, not advertised");
        String help = CliRun.of("infer", "--help").out();
        assertTrue(help.contains("--topk=K") && !help.contains("--top="), help);
    }

    @Test
    void everyCommandThatWritesOneFileTakesDashO() {
        Map<String, CommandLine> sub = Main.commandLine().getSubcommands();
        for (String name : List.of("export", "calibrate", "build-engine", "infer", "reproduce")) {
            assertNotNull(sub.get(name).getCommandSpec().findOption("-o"), name);
        }
    }

    /**
     * Help text is wrapped once, by picocli to the terminal: no description line is cut mid-sentence by hand (a line
     * ending in a letter or comma followed by another line), apart from indented list items.
     */
    @Test
    void helpTextIsNotWrappedByHand() {
        List<String> cut = new ArrayList<>();
        collect(Main.commandLine().getCommandSpec(), cut);
        assertEquals(List.of(), cut);
    }

    private static void collect(CommandSpec spec, List<String> cut) {
        check(spec.qualifiedName(), spec.usageMessage().description(), cut);
        for (ArgSpec a : spec.args()) {
            check(spec.qualifiedName() + " " + a, a.description(), cut);
        }
        spec.subcommands().values().forEach(c -> collect(c.getCommandSpec(), cut));
    }

    private static void check(String where, String[] lines, List<String> cut) {
        for (int i = 0; i + 1 < lines.length; i++) {
            String l = lines[i];
            boolean listItem = l.startsWith("  ");
            if (!listItem && !l.isEmpty() && (Character.isLetter(l.charAt(l.length() - 1)) || l.endsWith(","))) {
                cut.add(where + ": '" + l + "'");
            }
        }
    }

    @Test
    void shellCompletionIsGeneratedByPicocli() {
        CliRun r = CliRun.of("generate-completion");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("complete -F") && r.out().contains("vitrt"), r.out());
        assertTrue(r.out().contains("build-engine"), "subcommands are completed");
    }
}
