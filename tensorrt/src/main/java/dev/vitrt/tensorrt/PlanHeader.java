package dev.vitrt.tensorrt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The first bytes of a serialized TensorRT engine: {@code ftrt}. Checked before a plan is trusted without TensorRT at
 * hand (a Triton export, say), so that a file that only has a plausible manifest beside it is refused instead of
 * reaching a server that fails on it later. Torch-TensorRT and Ultralytics tell raw TensorRT plans from other blobs by
 * the same four bytes; TensorRT itself reports a mismatch as "magic tag does not match".
 */
public final class PlanHeader {
    /** The magic tag a serialized engine starts with. */
    static final byte[] MAGIC = "ftrt".getBytes(StandardCharsets.US_ASCII);

    private PlanHeader() {
    }

    /** Fails, naming the file, unless it starts like a serialized TensorRT engine. */
    public static void check(Path plan) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(plan)) {
            head = in.readNBytes(MAGIC.length);
        }
        if (!Arrays.equals(head, MAGIC)) {
            throw new IOException(plan + " is not a TensorRT plan (a serialized engine starts with \"ftrt\"; this file"
                    + (head.length < MAGIC.length ? " is " + head.length + " bytes long" : " does not") + ")");
        }
    }
}
