package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `--help` is the manual: every subcommand answers it, and `--version` names the version. */
class HelpTest {
    @Test
    void everySubcommandHasHelp() {
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            CliRun r = CliRun.of(name, "--help");
            assertEquals(0, r.exit(), name + ": " + r.err());
            assertTrue(r.out().contains("Usage: vitrt " + name), name + ": " + r.out());
        }
    }

    @Test
    void versionIsPrinted() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("vitrt "), r.out());
        assertTrue(r.out().contains("ONNX Runtime 1.") && r.out().contains("TensorRT 11."), r.out());
    }
}
