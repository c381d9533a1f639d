package dev.vitrt.calibration.qdq;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.vitrt.models.onnx.OnnxTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a Q/DQ graph made for ONNX Runtime ({@link QdqTarget#ORT}) into one TensorRT's ONNX parser takes, without
 * recalibrating: int32 bias DequantizeLinear nodes are folded into float32 bias initializers (TensorRT dequantizes
 * activation types only), and uint8 activations with zero point 128 become int8 with zero point 0 (the same grid).
 * The extra Q/DQ pairs on Conv outputs stay; TensorRT fuses them into the convolution's INT8 output.
 */
public final class TensorRtLayout {
    private TensorRtLayout() {
    }

    /** The TensorRT form of {@code model}; a graph already in that form comes back unchanged in meaning. */
    public static ModelProto fromOrt(ModelProto model) {
        GraphProto g = model.getGraph();
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
        for (int i = 0; i < out.getInitializerCount(); i++) {
            TensorProto t = out.getInitializer(i);
            if (t.getDataType() == TensorProto.DataType.UINT8_VALUE) {
                byte[] v = t.getRawData().toByteArray();
                for (int k = 0; k < v.length; k++) {
                    v[k] = (byte) ((v[k] & 0xff) - 128);
                }
                out.setInitializer(i, t.toBuilder().setDataType(TensorProto.DataType.INT8_VALUE)
                        .setRawData(ByteString.copyFrom(v)).build());
            }
        }
        QdqInserter.removeDead(out);
        ModelProto.Builder mb = model.toBuilder().setGraph(out);
        QdqInserter.putMeta(mb, "vitrt.qdq.target", QdqTarget.TENSORRT.id());
        return mb.build();
    }
}
