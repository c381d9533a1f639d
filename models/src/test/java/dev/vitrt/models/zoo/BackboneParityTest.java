package dev.vitrt.models.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.models.OrtTestSupport;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.reference.HashedWeights;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.runtime.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every feature map of a backbone export against timm's {@code features_only} model on the same weights and input
 * (1e-4 relative per map), at the non-square sizes of the fixtures ({@code fixtures/features}, made by the script and
 * README there). Next-ViT needs the shared timm checkpoint and skips without it; MobileViTv2 uses the checkpoint in
 * the test resources; ResNet-50 rebuilds its hashed weights from the key list. {@code -Dvitrt.features.fixtures=DIR}
 * runs the same checks on another set made by the script (other seeds, sizes, models).
 */
class BackboneParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path fixtures() {
        String dir = System.getProperty("vitrt.features.fixtures");
        return dir != null && !dir.isBlank() ? Path.of(dir) : OrtTestSupport.resource("fixtures/features/features.json").getParent();
    }

    static Stream<Arguments> cases() throws Exception {
        JsonNode index = JSON.readTree(fixtures().resolve("features.json").toFile());
        List<Arguments> out = new ArrayList<>();
        for (Iterator<String> it = index.get("models").fieldNames(); it.hasNext(); ) {
            String model = it.next();
            for (Iterator<String> sizes = index.get("models").get(model).get("sizes").fieldNames(); sizes.hasNext(); ) {
                out.add(Arguments.of(model, sizes.next()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("cases")
    void featureMapsEqualTimms(String model, String size) throws Exception {
        JsonNode index = JSON.readTree(fixtures().resolve("features.json").toFile());
        long seed = index.get("seed").asLong();
        JsonNode entry = index.get("models").get(model);
        Path weights = weights(model, entry.get("weights"), seed);
        InputSize s = InputSize.parse(size);
        ExportedModel m = Exporter.export(model, ExportOptions.defaults().withInputSize(s).withWeights(weights)
                .withFeatures(List.of()));

        assertEquals(entry.get("params").asLong(), m.parameters(), "parameters of timm's features_only model");
        JsonNode info = entry.get("feature_info");
        JsonNode meta = JSON.readTree(m.graph().metadata.get("vitrt.features"));
        assertEquals(info.size(), m.graph().outputs.size());
        for (int k = 0; k < info.size(); k++) {
            assertEquals("features." + k, m.graph().outputs.get(k).name());
            assertEquals(info.get(k).get("module").asText(), meta.get(k).get("module").asText());
            assertEquals(info.get(k).get("channels").asInt(), meta.get(k).get("channels").asInt());
            assertEquals(info.get(k).get("reduction").asInt(), meta.get(k).get("stride").asInt());
        }

        List<float[]> ours = OrtTestSupport.runAll(m.graph(), HashedWeights.input(seed, s.height(), s.width()), 1, 3,
                s.height(), s.width());
        JsonNode files = entry.get("sizes").get(size);
        for (int k = 0; k < files.size(); k++) {
            FloatTensor ref = Npy.read(fixtures().resolve(files.get(k).get("file").asText()));
            Tensor out = m.graph().outputs.get(k);
            assertArrayEquals(ref.shape(), out.shape(), model + " features." + k + " shape");
            double err = OrtTestSupport.relativeError(ours.get(k), ref.data());
            System.out.printf("%s at %s: features.%d %s vs timm %.3g%n", model, size, k,
                    java.util.Arrays.toString(ref.shape()), err);
            assertTrue(err <= 1e-4, model + " at " + size + " features." + k + ": " + err);
        }
    }

    /** The checkpoint the fixture was made with: a shared or test-resource file, or hashed weights rebuilt here. */
    private static Path weights(String model, JsonNode w, long seed) throws Exception {
        if (w.has("checkpoint")) {
            String file = w.get("checkpoint").asText();
            Path resource = OrtTestSupport.resource("fixtures/timm").resolve(file);
            if (Files.isRegularFile(resource)) {
                return resource;
            }
            String shared = System.getProperty("vitrt.fixtures");
            Assumptions.assumeTrue(shared != null && Files.isRegularFile(Path.of(shared, file)),
                    file + " not found (vitrt.fixtures=" + shared + ")");
            return Path.of(shared, file);
        }
        Path file = tmp.resolve(model + "-" + seed + ".safetensors");
        if (!Files.isRegularFile(file)) {
            Map<String, long[]> keys = new LinkedHashMap<>();
            w.get("hashed").fields().forEachRemaining(e -> {
                long[] shape = new long[e.getValue().size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = e.getValue().get(i).asLong();
                }
                keys.put(e.getKey(), shape);
            });
            HashedWeights.write(seed, keys, file);
        }
        return file;
    }
}
