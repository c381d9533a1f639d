package dev.vitrt.models.nextvit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.Exporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad checkpoint fails with one message naming the key or the file. */
class NextVitCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static byte[] fixture;
    private static ObjectNode header;
    private static int dataStart;

    @TempDir
    Path dir;

    @BeforeAll
    static void read() throws IOException {
        fixture = Files.readAllBytes(TestSupport.fixture("nextvit_small.safetensors"));
        long len = ByteBuffer.wrap(fixture, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        header = (ObjectNode) JSON.readTree(new String(fixture, 8, (int) len, StandardCharsets.UTF_8));
        dataStart = 8 + (int) len;
    }

    /**
     * The fixture with an edited header, still a valid safetensors file: each tensor's bytes (from its offsets in the
     * fixture) laid out again one after the other, as the format requires (a removed tensor leaves no hole, an added
     * one gets its own copy rather than overlapping another).
     */
    private Path edited(String name, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode h = header.deepCopy();
        edit.accept(h);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            ArrayNode offsets = (ArrayNode) e.getValue().get("data_offsets");
            int from = offsets.get(0).asInt();
            int to = offsets.get(1).asInt();
            offsets.removeAll().add(data.size()).add(data.size() + to - from);
            data.write(fixture, dataStart + from, to - from);
        }
        byte[] hb = JSON.writeValueAsBytes(h);
        ByteBuffer out = ByteBuffer.allocate(8 + hb.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(hb.length).put(hb).put(data.toByteArray());
        Path p = dir.resolve(name);
        Files.write(p, out.array());
        return p;
    }

    private static String failure(Path weights) {
        Exception e = assertThrows(Exception.class,
                () -> Exporter.export("nextvit_small", ExportOptions.defaults().withWeights(weights)));
        String msg = e.getMessage();
        assertTrue(msg != null && !msg.contains("\n"), "one-line message: " + msg);
        return msg;
    }

    @Test
    void missingKey() throws IOException {
        String msg = failure(edited("missing.safetensors", h -> h.remove("stages.2.blocks.4.e_mhsa.k.weight")));
        assertTrue(msg.contains("keys missing: 'stages.2.blocks.4.e_mhsa.k.weight'"), msg);
        assertTrue(msg.contains("missing.safetensors"), msg);
    }

    @Test
    void extraKey() throws IOException {
        String msg = failure(edited("extra.safetensors", h -> h.set("stages.2.blocks.4.e_mhsa.extra.weight",
                h.get("head.fc.bias").deepCopy())));
        assertTrue(msg.contains("'stages.2.blocks.4.e_mhsa.extra.weight'"), msg);
    }

    @Test
    void misShapedKey() throws IOException {
        String msg = failure(edited("shape.safetensors", h -> {
            ArrayNode shape = ((ObjectNode) h.get("stages.1.blocks.3.e_mhsa.q.weight")).putArray("shape");
            shape.add(96).add(384); // same number of values, wrong shape
        }));
        assertTrue(msg.contains("'stages.1.blocks.3.e_mhsa.q.weight'") && msg.contains("[96, 384]")
                && msg.contains("[192, 192]"), msg);
    }

    @Test
    void truncatedFile() throws IOException {
        Path p = dir.resolve("truncated.safetensors");
        Files.write(p, Arrays.copyOf(fixture, fixture.length / 2));
        String msg = failure(p);
        assertTrue(msg.contains("truncated") && msg.contains("truncated.safetensors"), msg);
    }

    @Test
    void notASafetensorsFile() throws IOException {
        Path p = dir.resolve("model.onnx");
        Files.write(p, Files.readAllBytes(TestSupport.fixture("nextvit_small.json")));
        String msg = failure(p);
        assertTrue(msg.contains("is not a checkpoint") && msg.contains("model.onnx"), msg);
    }

    @Test
    void checkpointOfAnotherModel() throws IOException {
        Path other = TestSupport.fixture("mobilevitv2_050.safetensors");
        String msg = failure(other);
        assertTrue(msg.contains("mobilevitv2_050.safetensors") && msg.contains("keys that did not fit: 'stem.conv.weight'"), msg);
    }
}
