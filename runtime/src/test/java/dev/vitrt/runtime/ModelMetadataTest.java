package dev.vitrt.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.ModelMetadata.FeatureMap;
import dev.vitrt.runtime.profile.BlockTags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {
    private static final long[] DYNAMIC = {-1, 3, -1, -1};
    private static final long[] FIXED_256 = {1, 3, 256, 256};

    @Test
    void everyFieldSurvivesAWriteAndARead() {
        BlockTags tags = new BlockTags(Map.of("stages.0.blocks.0", "NCB"), Map.of("NCB", Map.of("mhca", "MHCA")));
        ModelMetadata m = ModelMetadata.empty()
                .withModel("nextvit_small", "nextvit")
                .withPretrainedTag("nextvit_small.bd_in1k_384")
                .withInputSize(InputSize.square(384))
                .withClasses(1000, "imagenet-1k")
                .withPreprocessing(new float[] {0.5f, 0.25f, 0.125f}, new float[] {0.2f, 0.3f, 0.4f}, 1.0, "bilinear")
                .withCounts(31_760_000L, 5_800_000_000L, 5_700_000_000L)
                .withBlockTags(tags)
                .withFeatures(List.of(new FeatureMap("features.0", 1, "stages.1", 192, 8)))
                .withPrecision("fp16")
                .withQdq("tensorrt")
                .withCalibrationMethod("entropy");
        // through plain strings and back, as an ONNX file or a plan manifest carries them
        ModelMetadata r = ModelMetadata.of(new LinkedHashMap<>(m.asMap()));
        assertEquals(m, r);
        assertEquals(Optional.of("nextvit_small"), r.model());
        assertEquals(Optional.of("nextvit"), r.family());
        assertEquals(Optional.of("nextvit_small.bd_in1k_384"), r.pretrainedTag());
        assertEquals(Optional.of(InputSize.square(384)), r.inputSize());
        assertEquals(OptionalInt.of(1000), r.numClasses());
        assertEquals(Optional.of("imagenet-1k"), r.classNames());
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f}, r.mean());
        assertArrayEquals(new float[] {0.2f, 0.3f, 0.4f}, r.std());
        assertEquals(1.0, r.cropPct());
        assertEquals("bilinear", r.interpolation());
        assertEquals(OptionalLong.of(31_760_000L), r.params());
        assertEquals(OptionalLong.of(5_800_000_000L), r.macs());
        assertEquals(OptionalLong.of(5_700_000_000L), r.deployMacs());
        assertEquals(tags.blocks(), r.blockTags().blocks());
        assertEquals(tags.parts(), r.blockTags().parts());
        assertEquals(List.of(new FeatureMap("features.0", 1, "stages.1", 192, 8)), r.features());
        assertEquals(Optional.of("fp16"), r.precision());
        assertEquals(Optional.of("int8-qdq"), r.quantization());
        assertEquals(Optional.of("tensorrt"), r.qdqTarget());
        assertEquals(Optional.of("entropy"), r.calibrationMethod());
    }

    @Test
    void theKeysAreVitrtsAndOtherToolsEntriesAreKept() {
        ModelMetadata m = ModelMetadata.of(Map.of("producer.note", "kept")).withPrecision("int8");
        assertEquals("kept", m.asMap().get("producer.note"));
        assertEquals("int8", m.asMap().get("vitrt.precision"));
        assertTrue(ModelMetadata.empty().withModel("a", "b").withInputSize(new InputSize(512, 1024))
                .withCounts(1, 2, 3).asMap().keySet().stream().allMatch(k -> k.startsWith(ModelMetadata.PREFIX)));
        // a rewrite replaces the entry, it does not add a second one
        assertEquals("fp16", m.withPrecision("fp16").asMap().get("vitrt.precision"));
        assertEquals(2, m.withPrecision("fp16").asMap().size());
    }

    @Test
    void absentPreprocessingKeysTakeTimmsDefaults() {
        ModelMetadata m = ModelMetadata.empty();
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, m.mean());
        assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, m.std());
        assertEquals(0.875, m.cropPct());
        assertEquals("bicubic", m.interpolation());
        assertEquals(Optional.empty(), m.inputSize());
        assertTrue(m.blockTags().isEmpty());
        assertEquals(List.of(), m.features());
        assertEquals("resnet50", m.modelName("resnet50.onnx"));
        assertEquals("nextvit_small", m.withModel("nextvit_small", "nextvit").modelName("m.onnx"));
    }

    @Test
    void aNonSquareSizeIsWrittenAsHeightAndWidthOnly() {
        ModelMetadata m = ModelMetadata.empty().withInputSize(InputSize.square(224))
                .withInputSize(new InputSize(800, 1344));
        assertEquals(Optional.of(new InputSize(800, 1344)), m.inputSize());
        assertEquals(null, m.asMap().get("vitrt.input_size"));
        // a graph written by an older VitRT, or by hand, with only the square key
        assertEquals(Optional.of(InputSize.square(256)), ModelMetadata.of(Map.of("vitrt.input_size", "256")).inputSize());
    }

    @Test
    void inputSizeRuleRequestedThenFixedThenMetadataThen224() {
        ModelMetadata none = ModelMetadata.empty();
        ModelMetadata at320 = none.withInputSize(InputSize.square(320));
        // 1. what the caller asks for, over the metadata, for dynamic sides
        assertEquals(InputSize.square(288), at320.inputSize(DYNAMIC, InputSize.square(288)));
        // ... and it must fit a fixed side: never silently replaced
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> at320.inputSize(FIXED_256, InputSize.square(224)));
        assertEquals("input size 224 does not fit the model's input of shape (1, 3, 256, 256); leave the size out,"
                + " or export the model at that size", e.getMessage());
        assertEquals(InputSize.square(256), none.inputSize(FIXED_256, InputSize.square(256)));
        // 2. the graph's fixed sides, over the metadata (a graph re-fixed after export takes only its own size)
        assertEquals(InputSize.square(256), at320.inputSize(FIXED_256, null));
        assertEquals(new InputSize(800, 1344), none.inputSize(new long[] {1, 3, 800, 1344}, null));
        // 3. the metadata, for dynamic sides
        assertEquals(InputSize.square(320), at320.inputSize(DYNAMIC, null));
        assertEquals(new InputSize(512, 1024),
                none.withInputSize(new InputSize(512, 1024)).inputSize(DYNAMIC, null));
        // 4. 224, timm's default
        assertEquals(InputSize.square(224), none.inputSize(DYNAMIC, null));
        assertEquals(InputSize.square(224), none.inputSize(null, null));
        // each side on its own: a fixed height with a dynamic width takes the metadata's width
        assertEquals(new InputSize(256, 320), at320.inputSize(new long[] {1, 3, 256, -1}, null));
        // not an image input (rank 2): no fixed sides
        assertEquals(InputSize.square(320), at320.inputSize(new long[] {1, 10}, null));
        assertEquals(InputSize.square(64), at320.inputSize(new long[] {1, 10}, InputSize.square(64)));
    }

    @Test
    void malformedValuesAreRefusedNamingTheKey() {
        assertEquals("metadata vitrt.input_size is not a whole number: 'big'", assertThrows(
                IllegalArgumentException.class, () -> ModelMetadata.of(Map.of("vitrt.input_size", "big")).inputSize())
                .getMessage());
        assertEquals("metadata vitrt.input_height is not a positive size: '0'", assertThrows(
                IllegalArgumentException.class, () -> ModelMetadata.of(Map.of("vitrt.input_height", "0",
                        "vitrt.input_width", "8")).inputSize()).getMessage());
        assertEquals("metadata vitrt.mean needs 3 comma-separated values, got '0.5,0.5'", assertThrows(
                IllegalArgumentException.class, () -> ModelMetadata.of(Map.of("vitrt.mean", "0.5,0.5")).mean())
                .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ModelMetadata.of(Map.of("vitrt.blocks", "{oops")).blockTags()).getMessage()
                .startsWith("metadata vitrt.blocks is not valid JSON"));
        assertEquals("metadata vitrt.blocks: block 'stem' must map to a type name", assertThrows(
                IllegalArgumentException.class, () -> ModelMetadata.of(Map.of("vitrt.blocks", "{\"stem\": 1}"))
                        .blockTags()).getMessage());
        assertEquals("metadata vitrt.features is not a JSON array", assertThrows(IllegalArgumentException.class,
                () -> ModelMetadata.of(Map.of("vitrt.features", "{}")).features()).getMessage());
    }
}
