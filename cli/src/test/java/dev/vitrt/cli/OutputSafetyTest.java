package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every command does with the files it is given, as a user runs it: an output that is an input (also through a
 * link) is refused before any work with the input untouched; two outputs naming one file are refused; an output folder
 * that takes no files fails at once, not after minutes of work; outputs get the user's umask, not 0600.
 */
class OutputSafetyTest {
    @TempDir
    static Path dir;
    static Path model;
    static byte[] modelBytes;

    @BeforeAll
    static void exportASmallModel() throws Exception {
        model = dir.resolve("m.onnx");
        CliRun r = CliRun.of("export", "mobilevitv2_050", "--input-size", "64", "-o", model.toString());
        assertEquals(0, r.exit(), r.err());
        modelBytes = Files.readAllBytes(model);
    }

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws Exception {
        String m = model.toString();
        refused(CliRun.of("export", "mobilevitv2_050", "--weights", m, "-o", m), "--output " + m
                + " is the same file as --weights");
        refused(CliRun.of("profile", m, "--json", m), "--json " + m + " is the same file as MODEL");
        refused(CliRun.of("profile", m, "--csv", m), "--csv " + m + " is the same file as MODEL");
        refused(CliRun.of("profile", m, "--html", m), "--html " + m + " is the same file as MODEL");
        refused(CliRun.of("calibrate", m, "--data", "synthetic", "-o", m), "--output " + m + " is the same file as MODEL");
        refused(CliRun.of("build-engine", m, "--precision", "fp16", "-o", m), "--output " + m
                + " is the same file as MODEL");
        Path x = dir.resolve("x.npy");
        Npy.write(x, FloatTensor.zeros(1, 3, 64, 64));
        byte[] xBytes = Files.readAllBytes(x);
        refused(CliRun.of("infer", m, "--input", x.toString(), "--output", x.toString()), "--output " + x
                + " is the same file as --input");
        assertArrayEquals(xBytes, Files.readAllBytes(x));
        assertArrayEquals(modelBytes, Files.readAllBytes(model), "the model is untouched");
    }

    @Test
    void linksDoNotHideTheSameFile() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), model);
        refused(CliRun.of("profile", model.toString(), "--json", link.toString()), "--json " + link
                + " is the same file as MODEL " + model);
        Path hard = Files.createLink(dir.resolve("hard.onnx"), model);
        refused(CliRun.of("calibrate", model.toString(), "--data", "synthetic", "-o", hard.toString()),
                "is the same file as MODEL");
        Path sub = Files.createDirectories(dir.resolve("real"));
        Path linkedDir = Files.createSymbolicLink(dir.resolve("alias"), sub);
        refused(CliRun.of("profile", model.toString(), "--json", sub.resolve("r.json").toString(), "--csv",
                linkedDir.resolve("r.json").toString()), "--json and --csv name the same file");
        assertArrayEquals(modelBytes, Files.readAllBytes(model));
    }

    @Test
    void aCacheThatIsTheOutputIsRefused() throws Exception {
        Path out = dir.resolve("q.onnx");
        refused(CliRun.of("calibrate", model.toString(), "--data", "synthetic", "--cache", out.toString(), "-o",
                out.toString()), "--output and --cache name the same file");
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnwritableOutputFolderFailsBeforeAnyWork() throws Exception {
        Path locked = unwritableFolder();
        CliRun c = CliRun.of("calibrate", model.toString(), "--data", "synthetic", "--samples", "4", "-o",
                locked.resolve("q.onnx").toString());
        assertEquals(1, c.exit());
        assertEquals("vitrt calibrate: error: output directory is not writable: " + locked, c.err().strip());
        CliRun r = CliRun.of("reproduce", "mobilevitv2-attention", "--out", locked.resolve("tables").toString());
        assertEquals(1, r.exit());
        assertEquals("vitrt reproduce: error: --out " + locked.resolve("tables") + " cannot be created: " + locked
                + " is not writable", r.err().strip());
        assertFalse(c.out().contains("calibrat") || r.out().contains("["), "no work started");
    }

    @Test
    void outputsGetTheUmaskModeLikeAnyNewFile() throws Exception {
        Path reference = Files.createFile(dir.resolve("reference-" + System.nanoTime()));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
        assertTrue(expected.contains(PosixFilePermission.OWNER_READ), "sanity");
        assertEquals(PosixFilePermissions.toString(expected),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(model)), "export");
        Path json = dir.resolve("p.json");
        CliRun p = CliRun.of("profile", model.toString(), "--backend", "onnxruntime", "--warmup", "1", "--iterations",
                "2", "--json", json.toString());
        assertEquals(0, p.exit(), p.err());
        assertEquals(PosixFilePermissions.toString(expected),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(json)), "profile --json");
    }

    /** A folder no file can be created in: read-only for an ordinary user; for root, a folder of /proc. */
    static Path unwritableFolder() throws Exception {
        if (System.getProperty("user.name").equals("root")) {
            return Path.of("/proc/self");
        }
        Path locked = Files.createDirectory(dir.resolve("locked-" + System.nanoTime()));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        return locked;
    }

    private static void refused(CliRun r, String expected) {
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.oneLineError() && r.err().contains(expected), r.err());
    }
}
