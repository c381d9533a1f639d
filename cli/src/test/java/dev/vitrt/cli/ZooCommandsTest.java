package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** models and export as a user runs them, and profile on freshly exported zoo models. */
class ZooCommandsTest {
    @TempDir
    Path dir;

    @Test
    void modelsJsonListsTheZooWithTimmParameterCounts() throws Exception {
        CliRun r = CliRun.of("models", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode arr = new ObjectMapper().readTree(r.out());
        Map<String, JsonNode> byName = new HashMap<>();
        arr.forEach(n -> byName.put(n.get("name").asText(), n));
        Map<String, Long> timm = Map.of("nextvit_small", 31_763_368L, "nextvit_base", 44_818_856L,
                "nextvit_large", 57_874_344L, "mobilevitv2_050", 1_370_593L, "mobilevitv2_200", 18_449_329L,
                "resnet50", 25_557_032L);
        timm.forEach((name, params) -> assertEquals(params, byName.get(name).get("params").asLong(), name));
        assertEquals(5.8, byName.get("nextvit_small").get("gmacs").asDouble(), 5.8 * 0.03);
        assertEquals(8.3, byName.get("nextvit_base").get("gmacs").asDouble(), 8.3 * 0.03);
        assertEquals(10.8, byName.get("nextvit_large").get("gmacs").asDouble(), 10.8 * 0.03);
        assertEquals(256, byName.get("mobilevitv2_050").get("input_size").asInt());
        // the deployed graph: nextvit_small's fc2 merges save work; its published-layout ablation deploys the same graph
        JsonNode small = byName.get("nextvit_small");
        assertTrue(small.get("deploy_gmacs").asDouble() < small.get("gmacs").asDouble(), small.toString());
        assertEquals(small.get("nodes"), byName.get("nextvit_small_chhh").get("nodes"));
        assertEquals(small.get("deploy_gmacs"), byName.get("nextvit_small_chhh").get("deploy_gmacs"));
        for (JsonNode n : arr) {
            for (String field : new String[] {"name", "family", "params", "gmacs", "gflops", "input_size", "nodes",
                    "deploy_gmacs"}) {
                assertTrue(n.has(field), n + " lacks " + field);
            }
            assertEquals(n.get("gmacs"), n.get("gflops"), "gflops is gmacs' old name");
        }
    }

    @Test
    void exportWritesATaggedGraphThatOnnxRuntimeLoads() throws Exception {
        Path out = dir.resolve("m.onnx");
        CliRun r = CliRun.of("export", "mobilevitv2_050", "--input-size", "128", "--batch", "2", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(out.toString(), new OrtSession.SessionOptions())) {
            assertEquals("input", s.getInputNames().iterator().next());
            assertEquals("logits", s.getOutputNames().iterator().next());
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            assertEquals("mobilevitv2_050", meta.get("vitrt.model"));
            assertEquals("128", meta.get("vitrt.input_size"));
            assertTrue(meta.get("vitrt.blocks").contains("MobileViTv2Block"), meta.get("vitrt.blocks"));
        }
        assertNoTemporaryFiles();
    }

    @Test
    void badInputIsOneLineWithNoOutputLeft() throws Exception {
        Path out = dir.resolve("x.onnx");
        CliRun unknown = CliRun.of("export", "nextvit_smal", "-o", out.toString());
        assertEquals(2, unknown.exit(), "a mistyped model name is a usage error");
        assertTrue(unknown.oneLineError() && unknown.err().contains("unknown model 'nextvit_smal'")
                && unknown.err().contains("nextvit_small"), unknown.err());

        Path truncated = dir.resolve("cut.safetensors");
        Files.write(truncated, new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        CliRun bad = CliRun.of("export", "mobilevitv2_050", "--weights", truncated.toString(), "-o", out.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.oneLineError() && bad.err().contains("cut.safetensors"), bad.err());

        CliRun missing = CliRun.of("export", "mobilevitv2_050", "--weights", dir.resolve("nope.safetensors").toString(),
                "-o", out.toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.oneLineError() && missing.err().contains("nope.safetensors"), missing.err());

        CliRun unwritable = CliRun.of("export", "mobilevitv2_050", "-o", dir.resolve("no/such/dir/m.onnx").toString());
        assertEquals(1, unwritable.exit());
        assertTrue(unwritable.oneLineError() && unwritable.err().contains("does not exist"), unwritable.err());

        CliRun batch = CliRun.of("export", "mobilevitv2_050", "--batch", "0", "-o", out.toString());
        assertEquals(2, batch.exit());
        assertTrue(batch.oneLineError(), batch.err());

        CliRun size = CliRun.of("export", "mobilevitv2_050", "--input-size", "8", "-o", out.toString());
        assertEquals(1, size.exit());
        assertTrue(size.oneLineError() && size.err().contains("input size"), size.err());

        assertFalse(Files.exists(out));
        assertNoTemporaryFiles();
    }

    @Test
    void profileOfAZooModelFoldsIntoItsBlocks() throws Exception {
        Path json = dir.resolve("p.json");
        CliRun r = CliRun.of("profile", "mobilevitv2_050", "--backend", "onnxruntime", "--input-size", "128",
                "--warmup", "2", "--iterations", "6", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("mobilevitv2_050", j.get("model").asText());
        StringBuilder types = new StringBuilder();
        double sum = 0;
        for (JsonNode b : j.get("blocks")) {
            types.append(b.get("type").asText()).append(' ');
            sum += b.get("ms").asDouble();
        }
        assertTrue(types.toString().contains("MobileViTv2Block") && types.toString().contains("MV2")
                && types.toString().contains("Stem"), types.toString());
        boolean separable = false;
        for (JsonNode p : j.get("parts")) {
            separable |= p.get("block").asText().equals("MobileViTv2Block") && p.get("part").asText().equals("SeparableAttention");
        }
        assertTrue(separable, j.get("parts").toString());
        assertTrue(sum > 0, "blocks carry time");
    }

    private void assertNoTemporaryFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left behind");
        }
    }
}
