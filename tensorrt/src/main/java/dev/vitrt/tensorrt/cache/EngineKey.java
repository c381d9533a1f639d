package dev.vitrt.tensorrt.cache;

import dev.vitrt.engine.trt.BuildOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What makes a cached engine the right one, as ONNX Runtime's TensorRT provider keys its engine cache: the graph, how
 * it was built (precision, shape profile, builder settings) and where it runs (GPU and TensorRT version). Two keys
 * that differ in anything never share an engine.
 *
 * @param graphSha256       SHA-256 of the ONNX file's bytes
 * @param model             the model's name (for the file name only)
 * @param precision         {@code fp32}, {@code fp16} or {@code int8}
 * @param profile           the optimization profile asked for: batch range and input sizes
 * @param builder           builder settings that change the engine (workspace, optimization level, hardware compatibility)
 * @param gpuName           the GPU's name
 * @param computeCapability the GPU's compute capability, e.g. {@code 9.0}
 * @param tensorRtVersion   the TensorRT that builds and runs it, e.g. {@code 11.2.1}
 * @param format            {@link EngineCache#FORMAT}: changes when VitRT prepares graphs differently
 */
public record EngineKey(String graphSha256, String model, String precision, String profile, String builder,
                        String gpuName, String computeCapability, String tensorRtVersion, int format) {

    /** The key of building {@code graphSha256} with {@code o} for this target. */
    public static EngineKey of(String graphSha256, String model, BuildOptions o, EngineFactory.Target target) {
        String profile = "batch " + o.batch() + ", size " + (o.sizes() == null ? "graph's own" : o.sizes());
        String builder = "workspace " + o.workspaceMiB() + " MiB, level " + o.optimizationLevel()
                + ", hardware compatibility " + o.hardwareCompatibility();
        return new EngineKey(graphSha256, model, o.precision().label(), profile, builder, target.gpuName(),
                target.computeCapability(), target.tensorRtVersion(), EngineCache.FORMAT);
    }

    /** Every field, one {@code name: value} line each: what the cache writes beside an engine and compares on load. */
    public String text() {
        return "graph-sha256: " + graphSha256 + "\nmodel: " + model + "\nprecision: " + precision + "\nprofile: "
                + profile + "\nbuilder: " + builder + "\ngpu: " + gpuName + "\ncompute-capability: "
                + computeCapability + "\ntensorrt: " + tensorRtVersion + "\nformat: " + format + "\n";
    }

    /** A short digest of {@link #text()}: the entry's name. */
    public String id() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entry's file name without extension, e.g. {@code mobilevitv2_050-fp16-3f2a...}. */
    public String fileStem() {
        String safe = model.replaceAll("[^A-Za-z0-9._-]", "_").toLowerCase(Locale.ROOT);
        return (safe.length() > 60 ? safe.substring(0, 60) : safe) + "-" + precision + "-" + id();
    }
}
