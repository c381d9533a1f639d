package dev.vitrt.engine.trt;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.engine.precision.Fp16Lowering;
import dev.vitrt.runtime.tensorrt.PlanManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX bytes TensorRT will parse, with precision applied (FP16 lowered here; INT8 checked to hold Q/DQ), and the
 * optimization profile's shapes for each input. All of it runs on the CPU, before any TensorRT call.
 *
 * @param bytes       the serialized graph
 * @param sha256      its SHA-256
 * @param info        inputs, outputs, metadata of the graph as parsed
 * @param profile     per input: {min, opt, max} shapes
 * @param fp16Summary what FP16 lowering did, or null
 */
record PreparedGraph(byte[] bytes, String sha256, GraphInfo info, Map<String, long[][]> profile, String fp16Summary) {

    static PreparedGraph prepare(Path onnx, BuildOptions o) throws IOException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(Files.readAllBytes(onnx));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(onnx + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
        String name = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        GraphInfo original = GraphInfo.of(model, name);
        String summary = null;
        switch (o.precision()) {
            case FP16:
                if (original.hasQdq()) {
                    throw new IllegalArgumentException(onnx + " holds Q/DQ (INT8) nodes; build it with --precision int8");
                }
                Fp16Lowering.Result r = Fp16Lowering.lower(model);
                model = r.model();
                summary = r.report().summary();
                break;
            case INT8:
                if (!original.hasQdq()) {
                    throw new IllegalArgumentException(onnx + " has no QuantizeLinear/DequantizeLinear nodes: INT8 needs"
                            + " the Q/DQ graph from `vitrt calibrate`");
                }
                break;
            default:
                if (original.hasQdq()) {
                    throw new IllegalArgumentException(onnx + " holds Q/DQ (INT8) nodes; build it with --precision int8");
                }
                break;
        }
        byte[] bytes = model.toByteArray();
        GraphInfo info = GraphInfo.of(model, name);
        Map<String, long[][]> profile = new LinkedHashMap<>();
        for (PlanManifest.Tensor in : info.inputs()) {
            profile.put(in.name(), shapes(onnx, in, o));
        }
        return new PreparedGraph(bytes, GraphInfo.sha256(bytes), info, profile, summary);
    }

    /** {min, opt, max} shapes of one input: the batch range on a dynamic dim 0, --input-size on dynamic H, W. */
    static long[][] shapes(Path onnx, PlanManifest.Tensor in, BuildOptions o) {
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
                    + ", so --batch must be " + dims[0] + " (got " + o.batch() + "); export with a dynamic batch");
        }
        for (int i = 1; i < dims.length; i++) {
            boolean spatial = dims.length == 4 && i >= 2;
            if (dims[i] == -1) {
                if (!spatial || o.inputSize() == null) {
                    throw new IllegalArgumentException(onnx + ": input '" + in.name() + "' has a dynamic dimension "
                            + i + " " + Arrays.toString(dims) + (spatial ? "; pass --input-size" : "; TensorRT profiles"
                            + " here only cover the batch dimension"));
                }
                for (long[] s : out) {
                    s[i] = o.inputSize();
                }
            } else if (spatial && o.inputSize() != null && dims[i] != o.inputSize()) {
                throw new IllegalArgumentException(onnx + ": input '" + in.name() + "' is fixed at " + dims[i]
                        + " pixels but --input-size is " + o.inputSize() + "; export the model at that size");
            }
        }
        return out;
    }

    /** The profile as text for messages, e.g. {@code input: 1x3x224x224 / 8x3x224x224 / 32x3x224x224}. */
    List<String> describeProfile() {
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
