package dev.vitrt.calibration.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrt.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a calibration, kept so that a graph can be quantized again without re-running the data: one
 * activation scale per tensor name, the method that chose them, and fingerprints of the model and of the data.
 *
 * <pre>{@code
 * {"format": "vitrt-calibration-cache/1", "method": "entropy", "model": "sha256:...",
 *  "data": "synthetic:seed=0;samples=64;shape=3x224x224", "samples": 64,
 *  "scales": {"input": 0.0312, "stages.0.blocks.0.mlp.act/Relu_output_0": 0.0205, ...}}
 * }</pre>
 *
 * @param method the calibration method ({@code entropy}, {@code percentile(99.99)}, {@code max}, {@code mse})
 * @param modelFingerprint {@link ModelFingerprint} of the FP32 model the scales were measured on
 * @param dataFingerprint what data the scales were measured on (a description plus a hash)
 * @param samples number of calibration samples
 * @param scales tensor name to per-tensor INT8 scale, in the order they were measured
 */
public record CalibrationCache(String method, String modelFingerprint, String dataFingerprint, int samples,
                               Map<String, Float> scales) {
    public static final String FORMAT = "vitrt-calibration-cache/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CalibrationCache {
        scales = Collections.unmodifiableMap(new LinkedHashMap<>(scales));
    }

    /** Writes the cache as JSON, atomically (temp file then move). */
    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("method", method);
        root.put("model", modelFingerprint);
        root.put("data", dataFingerprint);
        root.put("samples", samples);
        ObjectNode s = root.putObject("scales");
        scales.forEach(s::put);
        AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
    }

    /** Reads a cache written by {@link #write}; any malformed content is an error naming the file. */
    public static CalibrationCache read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("calibration cache " + file + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException("calibration cache " + file + " is not a " + FORMAT + " file");
        }
        JsonNode s = root.path("scales");
        if (!s.isObject()) {
            throw new IOException("calibration cache " + file + " has no \"scales\" object");
        }
        Map<String, Float> scales = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            double v = e.getValue().asDouble(Double.NaN);
            if (!e.getValue().isNumber() || !(v > 0) || Double.isInfinite(v)) {
                throw new IOException("calibration cache " + file + ": scale of '" + e.getKey()
                        + "' is not a positive number");
            }
            scales.put(e.getKey(), (float) v);
        }
        return new CalibrationCache(root.path("method").asText(), root.path("model").asText(),
                root.path("data").asText(), root.path("samples").asInt(), scales);
    }

    /**
     * Checks that this cache was made for the model with {@code fingerprint}.
     *
     * @throws IllegalArgumentException naming the file when it was made for another model
     */
    public void requireModel(String fingerprint, Path file) {
        if (!modelFingerprint.equals(fingerprint)) {
            throw new IllegalArgumentException("calibration cache " + file + " was made for another model (model "
                    + modelFingerprint + ", this one is " + fingerprint + "); delete it or use another cache");
        }
    }

    /** How far a cached range may lie from the range measured now before the cache is refused. */
    static final double RANGE_FACTOR = 1000;

    /**
     * Checks the cached scales against activation ranges measured now on a few samples of the data: a scale whose
     * INT8 range ({@code 127 * scale}) is over a thousand times wider or narrower than the largest |value| measured
     * is refused, naming the tensor. Calibrators clip outliers, and a few samples see less than many, but not by
     * three orders of magnitude; a scale of 1e30 (a corrupt or edited cache) would otherwise make a model that only
     * outputs NaN. Tensors measured as all zeros are not judged.
     *
     * @param measured largest |value| per tensor, measured now
     * @throws IllegalArgumentException naming the file and the tensor
     */
    public void checkRanges(Map<String, Double> measured, Path file) {
        for (Map.Entry<String, Double> m : measured.entrySet()) {
            Float s = scales.get(m.getKey());
            double max = m.getValue();
            if (s == null || !(max > 0)) {
                continue;
            }
            double range = 127.0 * s;
            if (range > RANGE_FACTOR * max || range * RANGE_FACTOR < max) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "calibration cache %s: the"
                        + " scale of '%s' (%.3g, range +-%.3g) does not fit its activations measured on the data (max"
                        + " |x| %.3g); the cache is corrupt or was made on other data", file, m.getKey(), s, range,
                        max));
            }
        }
    }

    /** The scale of {@code tensor}, or null when the cache has none. */
    public Float scale(String tensor) {
        return scales.get(tensor);
    }
}
