package dev.vitrt.calibration.qdq;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.models.onnx.OnnxTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a Q/DQ graph made for ONNX Runtime ({@link QdqTarget#ORT}) into one TensorRT's ONNX parser takes, without
 * recalibrating: int32 bias DequantizeLinear nodes are folded into float32 bias initializers (TensorRT dequantizes
 * activation types only), uint8 activations with zero point 128 become int8 with zero point 0 (the same grid),
 * non-negative ones (uint8, zero point 0) int8 with zero point 0 and twice the step over the same threshold, and those
 * bounded below (uint8, zero point z) int8 with zero point 0 over the larger side. The extra Q/DQ pairs on Conv
 * outputs stay; TensorRT fuses them into the convolution's INT8 output. The rewrites for ONNX Runtime's kernels are
 * undone: pools made depthwise convolutions are pools again ({@link AveragePoolAsConv}), grouped convolutions split
 * per group are grouped again ({@link GroupedConvSplit}).
 */
public final class TensorRtLayout {
    private TensorRtLayout() {
    }

    /** The value of a scalar uint8 zero point (the ORT layout's activations), else -1. */
    private static int unsignedZeroPoint(TensorProto t) {
        return t != null && t.getDataType() == TensorProto.DataType.UINT8_VALUE && t.getRawData().size() == 1
                && t.getDimsCount() == 0 ? t.getRawData().byteAt(0) & 0xff : -1;
    }

    /** The TensorRT form of {@code model}; a graph already in that form comes back unchanged in meaning. */
    public static ModelProto fromOrt(ModelProto model) {
        GraphProto.Builder plain = model.getGraph().toBuilder();
        AveragePoolAsConv.revert(plain);
        GroupedConvSplit.revert(plain);
        GraphProto g = plain.build();
        Map<String, TensorProto> inits = new HashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        GraphProto.Builder out = g.toBuilder().clearNode();
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("DequantizeLinear") && inits.containsKey(n.getInput(0))
                    && inits.get(n.getInput(0)).getDataType() == TensorProto.DataType.INT32_VALUE) {
                // int32 bias: fold to float32 values = q * scale (zero point is 0 for int32 biases)
                TensorProto q = inits.get(n.getInput(0));
                float[] s = OnnxTensors.floats(inits.get(n.getInput(1)));
                ByteBuffer b = q.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                int len = Math.toIntExact(OnnxTensors.elements(q.getDimsList()));
                float[] f = new float[len];
                for (int i = 0; i < len; i++) {
                    f[i] = b.getInt() * s[s.length == 1 ? 0 : i];
                }
                out.addInitializer(OnnxTensors.floatTensor(n.getOutput(0), OnnxTensors.dims(q), f));
                continue;
            }
            out.addNode(n);
        }
        // scales of activations on a uint8 grid with zero point z: TensorRT's symmetric int8 grid over the larger of
        // the two sides, step * max(z, 255 - z) / 127 (z = 128: the same grid; z = 0: threshold / 255 becomes / 127)
        Map<String, Float> scaleFactors = new HashMap<>();
        for (NodeProto n : out.getNodeList()) {
            boolean qdq = n.getOpType().equals("QuantizeLinear") || n.getOpType().equals("DequantizeLinear");
            int z = qdq && n.getInputCount() == 3 ? unsignedZeroPoint(inits.get(n.getInput(2))) : -1;
            if (z >= 0 && z != 128) {
                scaleFactors.put(n.getInput(1), Math.max(z, 255 - z) / 127f);
            }
        }
        for (int i = 0; i < out.getInitializerCount(); i++) {
            TensorProto t = out.getInitializer(i);
            if (t.getDataType() == TensorProto.DataType.UINT8_VALUE) {
                boolean scalar = unsignedZeroPoint(t) >= 0;
                byte[] v = t.getRawData().toByteArray();
                for (int k = 0; k < v.length; k++) {
                    v[k] = scalar ? 0 : (byte) ((v[k] & 0xff) - 128);
                }
                out.setInitializer(i, t.toBuilder().setDataType(TensorProto.DataType.INT8_VALUE)
                        .setRawData(ByteString.copyFrom(v)).build());
            } else if (scaleFactors.containsKey(t.getName())) {
                float[] f = OnnxTensors.floats(t);
                for (int k = 0; k < f.length; k++) {
                    f[k] *= scaleFactors.get(t.getName());
                }
                out.setInitializer(i, OnnxTensors.floatTensor(t.getName(), OnnxTensors.dims(t), f));
            }
        }
        QdqInserter.removeDead(out);
        ModelProto.Builder mb = model.toBuilder().setGraph(out);
        return OnnxModels.withMetadata(mb, OnnxModels.metadata(model).withQdq(QdqTarget.TENSORRT.id())).build();
    }
}
