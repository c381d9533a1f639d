package dev.vitrt.engine.trt;

import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.Precision;
import dev.vitrt.models.onnx.OnnxModels;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.engine.int8.Int8Calibration;
import dev.vitrt.engine.int8.TensorRtQdq;
import dev.vitrt.engine.precision.Fp16Lowering;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX bytes TensorRT will parse, with precision applied, and the optimization profile's shapes for each input.
 * FP16 is lowered here; INT8 takes a Q/DQ graph (converted from the ONNX Runtime layout when {@code vitrt calibrate}
 * made it for ONNX Runtime) or calibrates a float graph on {@code --calib-data}, then lowers everything outside the
 * quantized layers to FP16 ({@link Fp16Lowering}, keeping Q/DQ fusible). All of it runs on the CPU, without TensorRT,
 * so that it can be tested anywhere and finishes before a build is attempted.
 *
 * @param bytes   the serialized graph
 * @param sha256  its SHA-256
 * @param info    inputs, outputs, metadata of the graph as parsed
 * @param profile per input: {min, opt, max} shapes
 * @param notes   what was done to the graph (FP16 lowering summary, INT8 conversion or calibration), one line each
 */
public record PreparedGraph(byte[] bytes, String sha256, GraphInfo info, Map<String, long[][]> profile,
                            List<String> notes) {

    /** {@link #prepare(Path, BuildOptions, Int8Calibration, Progress)} without calibration. */
    public static PreparedGraph prepare(Path onnx, BuildOptions o) throws IOException {
        return prepare(onnx, o, null, Progress.NONE);
    }

    /**
     * Reads {@code onnx} and applies {@code o.precision()}.
     *
     * @param calibration for INT8 only: calibrate the float graph on this data first; null to take a Q/DQ graph
     * @param progress    calibration progress (batches)
     * @throws IllegalArgumentException when the graph does not suit the precision (Q/DQ nodes for fp32/fp16, none for
     *                                  int8 without calibration, a Q/DQ node TensorRT cannot take), or the shapes
     *                                  do not fit the options
     * @throws IOException              when the file or the calibration data cannot be read
     */
    public static PreparedGraph prepare(Path onnx, BuildOptions o, Int8Calibration calibration, Progress progress)
            throws IOException {
        if (calibration != null && o.precision() != Precision.INT8) {
            throw new IllegalArgumentException("calibration data only applies to precision int8");
        }
        ModelProto model = OnnxModels.read(onnx);
        String name = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        GraphInfo original = GraphInfo.of(model, name);
        List<String> notes = new ArrayList<>();
        switch (o.precision()) {
            case FP16:
                if (original.hasQdq()) {
                    throw new IllegalArgumentException(onnx + " holds Q/DQ (INT8) nodes; build it with precision int8");
                }
                Fp16Lowering.Result r = Fp16Lowering.lower(model);
                model = r.model();
                notes.add(r.report().summary());
                break;
            case INT8: {
                TensorRtQdq.Result q;
                if (calibration != null) {
                    if (original.inputs().size() != 1) {
                        throw new IllegalArgumentException(onnx + " has " + original.inputs().size() + " inputs;"
                                + " calibration data calibrates models with one image input");
                    }
                    TensorSpec in = original.inputs().get(0);
                    q = TensorRtQdq.calibrate(model, onnx.toString(), in.name(), in.shape(), o.inputSize(),
                            calibration, progress);
                } else {
                    q = TensorRtQdq.fromQdqGraph(model, onnx.toString());
                }
                notes.add(q.note());
                // the layers outside the quantized ones would run in float32 in a strongly typed network
                Fp16Lowering.Result rest = Fp16Lowering.lower(q.model());
                model = rest.model();
                notes.add(rest.report().summary());
                break;
            }
            default:
                if (original.hasQdq()) {
                    throw new IllegalArgumentException(onnx + " holds Q/DQ (INT8) nodes; build it with precision int8");
                }
                break;
        }
        byte[] bytes = model.toByteArray();
        GraphInfo info = GraphInfo.of(model, name);
        Map<String, long[][]> profile = new LinkedHashMap<>();
        for (TensorSpec in : info.inputs()) {
            profile.put(in.name(), shapes(onnx, in, o));
        }
        checkStrides(onnx, info, profile);
        return new PreparedGraph(bytes, GraphInfo.sha256(bytes), info, profile, List.copyOf(notes));
    }

    /** The prepared graph as an ONNX model (for checks and tests). */
    public ModelProto model() throws IOException {
        return ModelProto.parseFrom(bytes);
    }

    /** {min, opt, max} shapes of one input: the batch range on a dynamic dim 0, the input sizes' range on dynamic H, W. */
    static long[][] shapes(Path onnx, TensorSpec in, BuildOptions o) {
        long[] dims = in.shape();
        if (dims.length == 0) {
            return new long[][] {dims, dims, dims};
        }
        long[][] out = new long[3][];
        int[] batch = {o.batch().min(), o.batch().opt(), o.batch().max()};
        for (int k = 0; k < 3; k++) {
            out[k] = dims.clone();
            if (dims[0] == -1) {
                out[k][0] = batch[k];
            }
        }
        if (dims[0] != -1 && (o.batch().min() != dims[0] || o.batch().max() != dims[0])) {
            throw new IllegalArgumentException(onnx + ": input '" + in.name() + "' has a fixed batch of " + dims[0]
                    + ", so the batch range must be " + dims[0] + " (got " + o.batch() + "); export with a dynamic batch");
        }
        SizeRange sizes = o.sizes();
        for (int i = 1; i < dims.length; i++) {
            boolean spatial = dims.length == 4 && i >= 2;
            if (dims[i] == -1) {
                if (!spatial || sizes == null) {
                    throw new IllegalArgumentException(onnx + ": input '" + in.name() + "' has a dynamic dimension "
                            + i + " " + Arrays.toString(dims) + (spatial ? "; give the input sizes (N, HxW or MIN:OPT:MAX)"
                            : "; TensorRT profiles here only cover the batch and spatial dimensions"));
                }
                for (int k = 0; k < 3; k++) {
                    out[k][i] = i == 2 ? sizes.get(k).height() : sizes.get(k).width();
                }
            } else if (spatial && sizes != null) {
                long want = i == 2 ? sizes.min().height() : sizes.min().width();
                if (!sizes.isFixed() || dims[i] != want) {
                    throw new IllegalArgumentException(onnx + ": input '" + in.name() + "' is fixed at " + dims[2] + "x"
                            + dims[3] + " pixels but the input sizes are " + sizes + "; export the model at that size, or "
                            + "with a dynamic size for a range");
                }
            }
        }
        return out;
    }

    /**
     * A backbone's feature maps must each be exactly 1/stride of the input: every height and width the profile covers
     * must be a multiple of its deepest stride (metadata {@code vitrt.features}).
     */
    static void checkStrides(Path onnx, GraphInfo info, Map<String, long[][]> profile) {
        List<ModelMetadata.FeatureMap> features;
        try {
            features = ModelMetadata.of(info.metadata()).features();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(onnx + ": " + e.getMessage());
        }
        if (features.isEmpty()) {
            return;
        }
        int stride = 1;
        for (ModelMetadata.FeatureMap f : features) {
            stride = Math.max(stride, f.stride());
        }
        for (long[][] shapes : profile.values()) {
            for (long[] s : shapes) {
                if (s.length == 4 && (s[2] % stride != 0 || s[3] % stride != 0)) {
                    throw new IllegalArgumentException(onnx + ": the profile's size " + s[2] + "x" + s[3] + " is not a "
                            + "multiple of " + stride + ", the stride of the backbone's deepest feature map");
                }
            }
        }
    }

    /** The profile as text for messages, e.g. {@code input: 1x3x224x224 / 8x3x224x224 / 32x3x224x224}. */
    public List<String> describeProfile() {
        List<String> lines = new ArrayList<>();
        profile.forEach((k, v) -> lines.add(k + ": " + join(v[0]) + " / " + join(v[1]) + " / " + join(v[2])));
        return lines;
    }

    private static String join(long[] d) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            b.append(i == 0 ? "" : "x").append(d[i]);
        }
        return b.toString();
    }
}
