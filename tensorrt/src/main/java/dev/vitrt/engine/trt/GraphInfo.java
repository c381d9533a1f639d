package dev.vitrt.engine.trt;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.tensorrt.PlanManifest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the builder needs to know of an ONNX graph before TensorRT sees it: inputs, outputs, tags, Q/DQ.
 *
 * @param model    {@code vitrt.model} from the metadata, else the file's name
 * @param inputs   graph inputs (initializers excluded); -1 for symbolic dimensions
 * @param outputs  graph outputs
 * @param metadata metadata_props
 * @param hasQdq   whether any QuantizeLinear/DequantizeLinear node is there
 */
public record GraphInfo(String model, List<PlanManifest.Tensor> inputs, List<PlanManifest.Tensor> outputs,
                 Map<String, String> metadata, boolean hasQdq) {

    public static GraphInfo of(ModelProto m, String fallbackName) {
        Set<String> inits = new java.util.HashSet<>();
        for (TensorProto t : m.getGraph().getInitializerList()) {
            inits.add(t.getName());
        }
        List<PlanManifest.Tensor> in = new ArrayList<>();
        for (ValueInfoProto v : m.getGraph().getInputList()) {
            if (!inits.contains(v.getName())) {
                in.add(tensor(v));
            }
        }
        List<PlanManifest.Tensor> out = new ArrayList<>();
        for (ValueInfoProto v : m.getGraph().getOutputList()) {
            out.add(tensor(v));
        }
        ModelMetadata meta = OnnxModels.metadata(m);
        boolean qdq = false;
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (n.getOpType().equals("QuantizeLinear") || n.getOpType().equals("DequantizeLinear")) {
                qdq = true;
                break;
            }
        }
        return new GraphInfo(meta.model().orElse(fallbackName), in, out, meta.asMap(), qdq);
    }

    private static PlanManifest.Tensor tensor(ValueInfoProto v) {
        TensorShapeProto shape = v.getType().getTensorType().getShape();
        long[] dims = new long[shape.getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            dims[i] = d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : -1;
        }
        return new PlanManifest.Tensor(v.getName(), dtype(v.getType().getTensorType().getElemType()), dims);
    }

    static String dtype(int onnx) {
        switch (onnx) {
            case TensorProto.DataType.FLOAT_VALUE:
                return "float32";
            case TensorProto.DataType.FLOAT16_VALUE:
                return "float16";
            case TensorProto.DataType.INT64_VALUE:
                return "int64";
            case TensorProto.DataType.INT32_VALUE:
                return "int32";
            case TensorProto.DataType.INT8_VALUE:
                return "int8";
            case TensorProto.DataType.UINT8_VALUE:
                return "uint8";
            case TensorProto.DataType.BOOL_VALUE:
                return "bool";
            default:
                return "onnx" + onnx;
        }
    }

    /** Hex SHA-256 of bytes. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
