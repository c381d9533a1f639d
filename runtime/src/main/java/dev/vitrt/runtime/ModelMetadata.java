package dev.vitrt.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import dev.vitrt.runtime.profile.BlockTags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * What VitRT records about a model in its graph's metadata ({@code metadata_props} of the ONNX file, copied into a
 * TensorRT plan's manifest), typed: the one place that reads and writes the {@code vitrt.*} keys. Entries of other
 * tools are kept as they are. Instances are immutable; the {@code with...} methods return a copy.
 *
 * <h2>The input size</h2>
 * {@link #inputSize(long[], InputSize)} is the one rule every command and library uses for the height and width of an
 * NCHW image input, each side on its own:
 * <ol>
 *   <li>the size the caller asks for (an option such as {@code --input-size}); a fixed side of the graph that
 *       disagrees is an error, never silently overridden;</li>
 *   <li>else the graph input's own fixed side (the graph takes nothing else);</li>
 *   <li>else the metadata's size ({@code vitrt.input_height} and {@code vitrt.input_width}, else the square
 *       {@code vitrt.input_size}): the size the model was exported for, which is what its dynamic sides expect;</li>
 *   <li>else 224, timm's default.</li>
 * </ol>
 */
public final class ModelMetadata {
    /** Every key VitRT writes starts with this. */
    public static final String PREFIX = "vitrt.";
    /** timm's default input side, where neither the caller, the graph nor the metadata gives one. */
    public static final int DEFAULT_INPUT_SIZE = 224;

    private static final String MODEL = "vitrt.model";
    private static final String FAMILY = "vitrt.family";
    private static final String PRETRAINED_TAG = "vitrt.pretrained_tag";
    private static final String INPUT_SIZE = "vitrt.input_size";
    private static final String INPUT_HEIGHT = "vitrt.input_height";
    private static final String INPUT_WIDTH = "vitrt.input_width";
    private static final String NUM_CLASSES = "vitrt.num_classes";
    private static final String CLASS_NAMES = "vitrt.class_names";
    private static final String MEAN = "vitrt.mean";
    private static final String STD = "vitrt.std";
    private static final String CROP_PCT = "vitrt.crop_pct";
    private static final String INTERPOLATION = "vitrt.interpolation";
    private static final String PARAMS = "vitrt.params";
    private static final String MACS = "vitrt.macs";
    private static final String DEPLOY_MACS = "vitrt.deploy_macs";
    private static final String BLOCKS = "vitrt.blocks";
    private static final String PARTS = "vitrt.parts";
    private static final String FEATURES = "vitrt.features";
    private static final String PRECISION = "vitrt.precision";
    private static final String QUANTIZATION = "vitrt.quantization";
    private static final String QDQ_TARGET = "vitrt.qdq.target";
    private static final String CALIBRATION_METHOD = "vitrt.calibration.method";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelMetadata EMPTY = new ModelMetadata(Map.of());

    private final Map<String, String> entries;

    private ModelMetadata(Map<String, String> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The metadata in these entries (a graph's {@code metadata_props}, a backend's {@code metadata()}). */
    public static ModelMetadata of(Map<String, String> entries) {
        return entries.isEmpty() ? EMPTY : new ModelMetadata(entries);
    }

    public static ModelMetadata empty() {
        return EMPTY;
    }

    /** Every entry, VitRT's and other tools', in the order written: what goes into a graph's metadata. */
    public Map<String, String> asMap() {
        return entries;
    }

    /**
     * One of a feature export's outputs ({@code vitrt.features}): output name, feature level, timm module, channels
     * and stride (input pixels per feature-map pixel).
     */
    public record FeatureMap(String name, int level, String module, int channels, int stride) {
    }

    // ---- identity and accounting

    /** The zoo model's name ({@code nextvit_small}), if recorded. */
    public Optional<String> model() {
        return text(MODEL);
    }

    /** The model's name, else {@code fileName} without its {@code .onnx} extension. */
    public String modelName(String fileName) {
        return model().orElseGet(() -> fileName.endsWith(".onnx")
                ? fileName.substring(0, fileName.length() - ".onnx".length()) : fileName);
    }

    public Optional<String> family() {
        return text(FAMILY);
    }

    /** The full name with timm's pretrained tag ({@code nextvit_small.bd_in1k_384}), when the export had one. */
    public Optional<String> pretrainedTag() {
        return text(PRETRAINED_TAG);
    }

    public OptionalInt numClasses() {
        OptionalLong n = whole(NUM_CLASSES);
        return n.isPresent() ? OptionalInt.of((int) n.getAsLong()) : OptionalInt.empty();
    }

    /** The declared class names: {@code imagenet-1k}, or a JSON array of names (see {@code ClassNames}). */
    public Optional<String> classNames() {
        return text(CLASS_NAMES);
    }

    /** Parameter count, as timm counts it. */
    public OptionalLong params() {
        return whole(PARAMS);
    }

    /** Multiply-adds per image as the papers count them, before the deployment passes. */
    public OptionalLong macs() {
        return whole(MACS);
    }

    /** Multiply-adds per image of the graph as written, after the deployment passes. */
    public OptionalLong deployMacs() {
        return whole(DEPLOY_MACS);
    }

    // ---- preprocessing (timm's eval transform); absent keys take timm's defaults

    /** The size the model was exported for: {@code vitrt.input_height} x {@code vitrt.input_width}, else the square
     * {@code vitrt.input_size}. */
    public Optional<InputSize> inputSize() {
        OptionalLong h = positive(INPUT_HEIGHT);
        OptionalLong w = positive(INPUT_WIDTH);
        if (h.isPresent() && w.isPresent()) {
            return Optional.of(new InputSize((int) h.getAsLong(), (int) w.getAsLong()));
        }
        OptionalLong s = positive(INPUT_SIZE);
        return s.isPresent() ? Optional.of(InputSize.square((int) s.getAsLong())) : Optional.empty();
    }

    /**
     * The height and width of an image input of shape {@code inputShape} (NCHW; -1 or 0 for a dynamic side; another
     * rank has no fixed sides), by the rule in the class comment.
     *
     * @param requested the caller's size, or null
     * @throws IllegalArgumentException when {@code requested} disagrees with a fixed side of the input
     */
    public InputSize inputSize(long[] inputShape, InputSize requested) {
        if (requested != null && requested.isDefault()) {
            requested = null;
        }
        boolean image = inputShape != null && inputShape.length == 4;
        long fixedH = image && inputShape[2] > 0 ? inputShape[2] : 0;
        long fixedW = image && inputShape[3] > 0 ? inputShape[3] : 0;
        if (requested != null) {
            if ((fixedH > 0 && fixedH != requested.height()) || (fixedW > 0 && fixedW != requested.width())) {
                throw new IllegalArgumentException("input size " + requested + " does not fit the model's input of "
                        + "shape " + FloatTensor.shapeString(inputShape) + "; leave the size out, or export the model "
                        + "at that size");
            }
            return requested;
        }
        InputSize meta = inputSize().orElse(InputSize.square(DEFAULT_INPUT_SIZE));
        return new InputSize(fixedH > 0 ? (int) fixedH : meta.height(), fixedW > 0 ? (int) fixedW : meta.width());
    }

    /** Per-channel mean (RGB) after scaling to [0, 1]; ImageNet's when absent. */
    public float[] mean() {
        return triple(MEAN, ImagePreprocessor.IMAGENET_MEAN);
    }

    /** Per-channel std (RGB); ImageNet's when absent. */
    public float[] std() {
        return triple(STD, ImagePreprocessor.IMAGENET_STD);
    }

    /** The fraction of the resized image the center crop keeps; 0.875 when absent. */
    public double cropPct() {
        String v = entries.get(CROP_PCT);
        if (v == null || v.isBlank()) {
            return ImagePreprocessor.DEFAULT_CROP_PCT;
        }
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw notA(CROP_PCT, "number", v);
        }
    }

    /** The resize filter's name ({@code bicubic}, {@code bilinear}, ...); bicubic when absent. */
    public String interpolation() {
        return text(INTERPOLATION).orElse("bicubic");
    }

    // ---- block tags and feature maps

    /** The block tags ({@code vitrt.blocks}, {@code vitrt.parts}); none when absent. */
    public BlockTags blockTags() {
        Map<String, String> blocks = new LinkedHashMap<>();
        Map<String, Map<String, String>> parts = new LinkedHashMap<>();
        JsonNode b = json(BLOCKS);
        if (b != null) {
            for (Map.Entry<String, JsonNode> e : fields(object(BLOCKS, b))) {
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("metadata " + BLOCKS + ": block '" + e.getKey()
                            + "' must map to a type name");
                }
                blocks.put(e.getKey(), e.getValue().asText());
            }
        }
        JsonNode p = json(PARTS);
        if (p != null) {
            for (Map.Entry<String, JsonNode> e : fields(object(PARTS, p))) {
                if (!e.getValue().isObject()) {
                    throw new IllegalArgumentException("metadata " + PARTS + ": block type '" + e.getKey()
                            + "' must map to an object {prefix: part}");
                }
                Map<String, String> m = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> f : fields(e.getValue())) {
                    m.put(f.getKey(), f.getValue().asText());
                }
                parts.put(e.getKey(), m);
            }
        }
        return new BlockTags(blocks, parts);
    }

    /** A feature export's outputs, shallowest first; empty for a classifier. */
    public List<FeatureMap> features() {
        JsonNode n = json(FEATURES);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("metadata " + FEATURES + " is not a JSON array");
        }
        List<FeatureMap> out = new ArrayList<>();
        for (JsonNode f : n) {
            out.add(new FeatureMap(f.path("name").asText(), f.path("index").asInt(), f.path("module").asText(),
                    f.path("channels").asInt(), f.path("stride").asInt(1)));
        }
        return List.copyOf(out);
    }

    // ---- precision and quantization

    /** {@code fp32}, {@code fp16} or {@code int8}, when a lowering or a plan recorded it. */
    public Optional<String> precision() {
        return text(PRECISION);
    }

    /** {@code int8-qdq} for a graph calibration put Q/DQ pairs in. */
    public Optional<String> quantization() {
        return text(QUANTIZATION);
    }

    /** The runtime the Q/DQ placement was made for ({@code QdqTarget}'s id). */
    public Optional<String> qdqTarget() {
        return text(QDQ_TARGET);
    }

    /** The calibration method that chose the scales ({@code entropy}, {@code percentile-99.99}, ...). */
    public Optional<String> calibrationMethod() {
        return text(CALIBRATION_METHOD);
    }

    // ---- writers

    public ModelMetadata withModel(String name, String family) {
        return with(m -> {
            m.put(MODEL, name);
            m.put(FAMILY, family);
        });
    }

    public ModelMetadata withPretrainedTag(String fullName) {
        return with(m -> m.put(PRETRAINED_TAG, fullName));
    }

    /** The size the model was exported for; {@code vitrt.input_size} is written for a square size only. */
    public ModelMetadata withInputSize(InputSize size) {
        return with(m -> {
            if (size.isSquare()) {
                m.put(INPUT_SIZE, Integer.toString(size.height()));
            } else {
                m.remove(INPUT_SIZE);
            }
            m.put(INPUT_HEIGHT, Integer.toString(size.height()));
            m.put(INPUT_WIDTH, Integer.toString(size.width()));
        });
    }

    /** A classifier's output size, and its class names' declaration (null for none). */
    public ModelMetadata withClasses(int numClasses, String classNames) {
        return with(m -> {
            m.put(NUM_CLASSES, Integer.toString(numClasses));
            if (classNames != null) {
                m.put(CLASS_NAMES, classNames);
            } else {
                m.remove(CLASS_NAMES);
            }
        });
    }

    /** timm's eval transform: mean, std (RGB), crop_pct and the resize filter's name. */
    public ModelMetadata withPreprocessing(float[] mean, float[] std, double cropPct, String interpolation) {
        return with(m -> {
            m.put(MEAN, csv(mean));
            m.put(STD, csv(std));
            m.put(CROP_PCT, Double.toString(cropPct));
            m.put(INTERPOLATION, interpolation);
        });
    }

    /** Parameters, paper MACs and deployed-graph MACs per image. */
    public ModelMetadata withCounts(long params, long macs, long deployMacs) {
        return with(m -> {
            m.put(PARAMS, Long.toString(params));
            m.put(MACS, Long.toString(macs));
            m.put(DEPLOY_MACS, Long.toString(deployMacs));
        });
    }

    public ModelMetadata withBlockTags(BlockTags tags) {
        return with(m -> {
            m.put(BLOCKS, write(tags.blocks()));
            m.put(PARTS, write(tags.parts()));
        });
    }

    public ModelMetadata withFeatures(List<FeatureMap> features) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (FeatureMap f : features) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", f.name());
            o.put("index", f.level());
            o.put("module", f.module());
            o.put("channels", f.channels());
            o.put("stride", f.stride());
            list.add(o);
        }
        return with(m -> m.put(FEATURES, write(list)));
    }

    public ModelMetadata withPrecision(String precision) {
        return with(m -> m.put(PRECISION, precision));
    }

    /** A Q/DQ graph: {@code vitrt.quantization=int8-qdq} and the runtime the placement was made for. */
    public ModelMetadata withQdq(String target) {
        return with(m -> {
            m.put(QUANTIZATION, "int8-qdq");
            m.put(QDQ_TARGET, target);
        });
    }

    public ModelMetadata withCalibrationMethod(String method) {
        return with(m -> m.put(CALIBRATION_METHOD, method));
    }

    private ModelMetadata with(Consumer<Map<String, String>> change) {
        Map<String, String> m = new LinkedHashMap<>(entries);
        change.accept(m);
        return new ModelMetadata(m);
    }

    // ---- parsing

    private Optional<String> text(String key) {
        String v = entries.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private OptionalLong whole(String key) {
        Optional<String> v = text(key);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.get()));
        } catch (NumberFormatException e) {
            throw notA(key, "whole number", v.get());
        }
    }

    private OptionalLong positive(String key) {
        OptionalLong v = whole(key);
        if (v.isPresent() && (v.getAsLong() < 1 || v.getAsLong() > Integer.MAX_VALUE)) {
            throw notA(key, "positive size", entries.get(key));
        }
        return v;
    }

    private float[] triple(String key, float[] dflt) {
        Optional<String> v = text(key);
        if (v.isEmpty()) {
            return dflt.clone();
        }
        String[] parts = v.get().replace("[", "").replace("]", "").replace("(", "").replace(")", "").split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("metadata " + key + " needs 3 comma-separated values, got '" + v.get()
                    + "'");
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw notA(key, "list of numbers", v.get());
            }
        }
        return out;
    }

    private JsonNode json(String key) {
        Optional<String> v = text(key);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(v.get());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata " + key + " is not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    private static JsonNode object(String key, JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("metadata " + key + " is not a JSON object");
        }
        return n;
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode n) {
        return () -> {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            return it;
        };
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String csv(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float f : v) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(String.format(Locale.ROOT, "%s", f));
        }
        return sb.toString();
    }

    private static IllegalArgumentException notA(String key, String what, String value) {
        return new IllegalArgumentException("metadata " + key + " is not a " + what + ": '" + value + "'");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelMetadata m && entries.equals(m.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
