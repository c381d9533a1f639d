package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint is not trusted, as a user meets it through {@code export --weights}: NaN or infinite weights are refused
 * naming the tensor (loaded with {@code --allow-nonfinite}); a header whose offsets overlap is refused instead of
 * loading another tensor's bytes as weights. Starts from timm's real mobilevitv2_050 checkpoint (the models module's
 * test fixture) with one value or one offset changed.
 */
class CheckpointSafetyTest {
    private static final Path TIMM = Path.of("../models/src/test/resources/fixtures/timm/mobilevitv2_050.safetensors");
    private static final String KEY = "stages.2.1.transformer.0.attn.qkv_proj.weight";

    @TempDir
    Path dir;

    @Test
    void nonFiniteWeightsAreRefusedByNameAndLoadedWhenAllowed() throws Exception {
        byte[] b = Files.readAllBytes(TIMM);
        long at = dataStart(b) + offsets(b, KEY)[0];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat((int) at + 12, Float.POSITIVE_INFINITY);
        Path bad = Files.write(dir.resolve("inf.safetensors"), b);
        Path out = dir.resolve("m.onnx");
        CliRun r = CliRun.of("export", "mobilevitv2_050", "--weights", bad.toString(), "-o", out.toString());
        assertEquals(1, r.exit());
        assertEquals("vitrt export: error: checkpoint inf.safetensors key '" + KEY + "' holds 1 NaN or infinite value"
                + " (the first at index 3: Infinity); a model with them outputs NaN (--allow-nonfinite loads it anyway)",
                r.err().strip());
        assertFalse(Files.exists(out));
        r = CliRun.of("export", "mobilevitv2_050", "--weights", bad.toString(), "--allow-nonfinite", "-o",
                out.toString());
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void overlappingOffsetsAreRefused() throws Exception {
        byte[] b = Files.readAllBytes(TIMM);
        long[] o = offsets(b, KEY);
        // point the tensor 4 bytes back, into its neighbour: same length, so only the overlap gives it away
        String header = header(b);
        String moved = header.replace("[" + o[0] + "," + o[1] + "]", "[" + (o[0] - 4) + "," + (o[1] - 4) + "]");
        assertTrue(!moved.equals(header), "the offsets were found in the header");
        byte[] h = moved.getBytes(StandardCharsets.UTF_8);
        ByteBuffer f = ByteBuffer.allocate(b.length).order(ByteOrder.LITTLE_ENDIAN);
        f.putLong(h.length).put(h).put(b, 8 + header.getBytes(StandardCharsets.UTF_8).length,
                b.length - 8 - header.getBytes(StandardCharsets.UTF_8).length);
        Path bad = Files.write(dir.resolve("overlap.safetensors"), f.array());
        CliRun r = CliRun.of("export", "mobilevitv2_050", "--weights", bad.toString(), "-o",
                dir.resolve("m.onnx").toString());
        assertEquals(1, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("overlaps another tensor's bytes"), r.err());
    }

    private static String header(byte[] b) {
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return new String(b, 8, (int) n, StandardCharsets.UTF_8);
    }

    private static long dataStart(byte[] b) {
        return 8 + ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static long[] offsets(byte[] b, String key) throws Exception {
        JsonNode o = new ObjectMapper().readTree(header(b)).get(key).get("data_offsets");
        return new long[] {o.get(0).asLong(), o.get(1).asLong()};
    }
}
