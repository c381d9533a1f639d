package dev.vitrt.engine.int8;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.calibration.Calibration;
import dev.vitrt.calibration.data.CalibrationData;
import dev.vitrt.calibration.data.CalibrationSources;
import dev.vitrt.calibration.qdq.NodeFilter;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.calibration.qdq.QdqTarget;
import dev.vitrt.calibration.qdq.TensorRtLayout;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Progress;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The INT8 half of graph preparation: makes the Q/DQ graph TensorRT's ONNX parser takes under its explicit-quantization
 * rules (INT8 with zero point 0, float biases), from a graph {@code vitrt calibrate} made for ONNX Runtime, or by
 * calibrating a float graph right here. All of it runs on the CPU.
 */
public final class TensorRtQdq {
    /**
     * A prepared INT8 graph.
     *
     * @param model the TensorRT-layout Q/DQ graph
     * @param note  one line on what was done to it, for the build's log
     */
    public record Result(ModelProto model, String note) {
    }

    private TensorRtQdq() {
    }

    /** Whether the graph holds any QuantizeLinear/DequantizeLinear node. */
    public static boolean hasQdq(ModelProto m) {
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (isQdq(n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A Q/DQ graph as TensorRT takes it: one made for ONNX Runtime ({@code vitrt.qdq.target=ort}) is converted with
     * {@link TensorRtLayout#fromOrt}; then every Q/DQ node is checked against TensorRT's rules.
     *
     * @param source names the graph in messages
     * @throws IllegalArgumentException when the graph has no Q/DQ, or a node breaks TensorRT's rules (named)
     */
    public static Result fromQdqGraph(ModelProto m, String source) {
        if (!hasQdq(m)) {
            throw new IllegalArgumentException(source + " has no QuantizeLinear/DequantizeLinear nodes: INT8 needs the"
                    + " Q/DQ graph from `vitrt calibrate`, or calibration data (a folder of images, an .npy file or synthetic) to"
                    + " calibrate here");
        }
        String target = OnnxModels.metadata(m).qdqTarget().orElse(null);
        String note;
        if ("ort".equals(target)) {
            m = TensorRtLayout.fromOrt(m);
            note = "int8: converted " + source + " from the ONNX Runtime Q/DQ layout to TensorRT's (int8 zero point 0,"
                    + " float biases)";
        } else {
            note = "int8: " + source + " taken as is (Q/DQ graph " + (target == null ? "without a target in its"
                    + " metadata" : "made for " + target) + ")";
        }
        check(m, source);
        return new Result(m, note);
    }

    /**
     * Calibrates float graph {@code fp32} on {@code c}'s data through ONNX Runtime (CPU) and inserts Q/DQ pairs in
     * TensorRT's layout.
     *
     * @param inputShape the graph's input shape (NCHW; -1 for symbolic dimensions)
     * @param inputSize  H = W for symbolic spatial dimensions, or null for the metadata's size
     * @param progress   receives the calibration batches
     * @throws IllegalArgumentException when the graph already holds Q/DQ nodes, or the data does not fit it
     * @throws IOException              when the data cannot be read or ONNX Runtime fails
     */
    public static Result calibrate(ModelProto fp32, String source, String inputName, long[] inputShape,
                                   Integer inputSize, Int8Calibration c, Progress progress) throws IOException {
        if (hasQdq(fp32)) {
            throw new IllegalArgumentException(source + " is already quantized (it holds Q/DQ nodes); build it without"
                    + " calibration data");
        }
        Map<String, String> meta = OnnxModels.metadata(fp32).asMap();
        long[] sampleShape = CalibrationSources.sampleShape(inputName, inputShape, meta, inputSize);
        CalibrationData data = CalibrationSources.open(c.data(), sampleShape, meta, c.samples(), c.seed());
        if (c.samples() > data.size()) {
            throw new IllegalArgumentException("samples " + c.samples() + " asks for more samples than the calibration data"
                    + " holds (" + data.describe() + ")");
        }
        Calibration.Quantized q;
        try {
            q = Calibration.quantize(fp32, data, c.samples(), c.batch(), c.method(), c.percentile(),
                    new QdqOptions(QdqTarget.TENSORRT, NodeFilter.none()), BackendOptions.defaults(), progress);
        } catch (BackendException e) {
            throw new IOException("calibration of " + source + " failed in ONNX Runtime: " + e.getMessage(), e);
        }
        check(q.model(), source);
        return new Result(q.model(), "int8: calibrated " + source + " on " + c.samples() + " of " + data.describe()
                + " (" + q.method() + ", " + q.scales().size() + " activation scales)");
    }

    /**
     * Checks TensorRT's explicit-quantization rules on every Q/DQ node: zero points int8 and 0, dequantized
     * initializers int8 (no int32 biases behind a DequantizeLinear).
     *
     * @throws IllegalArgumentException naming the first node that breaks them
     */
    public static void check(ModelProto m, String source) {
        Map<String, TensorProto> inits = new HashMap<>();
        m.getGraph().getInitializerList().forEach(t -> inits.put(t.getName(), t));
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (!isQdq(n)) {
                continue;
            }
            String where = source + ": node '" + n.getName() + "' (" + n.getOpType() + ")";
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                TensorProto zp = inits.get(n.getInput(2));
                if (zp == null) {
                    throw new IllegalArgumentException(where + ": zero point '" + n.getInput(2) + "' is not an"
                            + " initializer; TensorRT needs constant int8 zero points of 0");
                }
                if (zp.getDataType() != TensorProto.DataType.INT8_VALUE) {
                    throw new IllegalArgumentException(where + ": zero point '" + zp.getName() + "' is "
                            + ElementType.displayNameOfOnnx(zp.getDataType()) + "; TensorRT needs int8 zero points of 0"
                            + " (calibrate for QdqTarget.TENSORRT)");
                }
                if (!allZero(zp)) {
                    throw new IllegalArgumentException(where + ": zero point '" + zp.getName() + "' is not 0;"
                            + " TensorRT only takes symmetric quantization (zero point 0)");
                }
            }
            if (n.getOpType().equals("DequantizeLinear")) {
                TensorProto x = inits.get(n.getInput(0));
                if (x != null && x.getDataType() != TensorProto.DataType.INT8_VALUE) {
                    throw new IllegalArgumentException(where + ": dequantizes "
                            + ElementType.displayNameOfOnnx(x.getDataType()) + " initializer '" + x.getName()
                            + "'; TensorRT dequantizes int8 only (keep biases in float: calibrate for"
                            + " QdqTarget.TENSORRT)");
                }
            }
        }
    }

    private static boolean isQdq(NodeProto n) {
        return n.getOpType().equals("QuantizeLinear") || n.getOpType().equals("DequantizeLinear");
    }

    private static boolean allZero(TensorProto t) {
        for (byte b : t.getRawData().toByteArray()) {
            if (b != 0) {
                return false;
            }
        }
        for (int v : t.getInt32DataList()) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
