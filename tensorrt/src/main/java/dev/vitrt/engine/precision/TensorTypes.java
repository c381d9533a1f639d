package dev.vitrt.engine.precision;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Element types of every tensor of a graph, propagated node by node from its inputs, initializers and constants,
 * so that precision lowering knows which tensors carry float32 data without running ONNX shape inference.
 */
final class TensorTypes {
    private static final int UNKNOWN = DataType.UNDEFINED_VALUE;

    /** Ops whose outputs are all int64 whatever their inputs. */
    private static final Set<String> INT64_OUT = Set.of("Shape", "Size", "NonZero", "ArgMax", "ArgMin");
    /** Ops whose outputs are all bool. */
    private static final Set<String> BOOL_OUT = Set.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
            "Not", "And", "Or", "Xor", "IsNaN", "IsInf");

    private final Map<String, Integer> types = new HashMap<>();

    private TensorTypes() {
    }

    /** Infers the element type of every tensor the graph names; tensors it cannot type are left out. */
    static TensorTypes infer(GraphProto graph) {
        TensorTypes t = new TensorTypes();
        for (ValueInfoProto v : graph.getInputList()) {
            t.putValueInfo(v);
        }
        for (TensorProto init : graph.getInitializerList()) {
            t.types.put(init.getName(), init.getDataType());
        }
        for (ValueInfoProto v : graph.getValueInfoList()) {
            t.putValueInfo(v);
        }
        for (NodeProto n : graph.getNodeList()) {
            for (int i = 0; i < n.getOutputCount(); i++) {
                if (n.getOutput(i).isEmpty()) {
                    continue;
                }
                int ty = t.outputType(n, i);
                if (ty != UNKNOWN) {
                    t.types.put(n.getOutput(i), ty);
                }
            }
        }
        for (ValueInfoProto v : graph.getOutputList()) {
            t.putValueInfo(v);
        }
        return t;
    }

    /** The tensor's ONNX element type, or {@code UNDEFINED} (0) when unknown. */
    int get(String tensor) {
        return types.getOrDefault(tensor, UNKNOWN);
    }

    boolean isFloat32(String tensor) {
        return get(tensor) == DataType.FLOAT_VALUE;
    }

    private void putValueInfo(ValueInfoProto v) {
        if (v.hasType() && v.getType().hasTensorType() && v.getType().getTensorType().getElemType() != UNKNOWN) {
            types.put(v.getName(), v.getType().getTensorType().getElemType());
        }
    }

    private int in(NodeProto n, int i) {
        return i < n.getInputCount() && !n.getInput(i).isEmpty() ? get(n.getInput(i)) : UNKNOWN;
    }

    private int outputType(NodeProto n, int output) {
        String op = n.getOpType();
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            return in(n, 0); // custom domains: best guess, the data type flows through
        }
        if (INT64_OUT.contains(op)) {
            return DataType.INT64_VALUE;
        }
        if (BOOL_OUT.contains(op)) {
            return DataType.BOOL_VALUE;
        }
        switch (op) {
            case "Cast":
                return (int) attr(n, "to").getI();
            case "CastLike":
                return in(n, 1);
            case "Constant":
                return constantType(n);
            case "ConstantOfShape": {
                AttributeProto v = attr(n, "value");
                return v == null ? DataType.FLOAT_VALUE : v.getT().getDataType();
            }
            case "EyeLike":
            case "RandomNormalLike":
            case "RandomUniformLike": {
                AttributeProto d = attr(n, "dtype");
                return d == null ? in(n, 0) : (int) d.getI();
            }
            case "RandomNormal":
            case "RandomUniform": {
                AttributeProto d = attr(n, "dtype");
                return d == null ? DataType.FLOAT_VALUE : (int) d.getI();
            }
            case "Where":
                return in(n, 1);
            case "OneHot":
                return in(n, 2);
            case "QuantizeLinear": {
                AttributeProto d = attr(n, "output_dtype");
                if (d != null && d.getI() != 0) {
                    return (int) d.getI();
                }
                int zp = in(n, 2);
                return zp != UNKNOWN ? zp : DataType.UINT8_VALUE;
            }
            case "DequantizeLinear":
                return in(n, 1);
            case "DynamicQuantizeLinear":
                return output == 1 ? DataType.FLOAT_VALUE : DataType.UINT8_VALUE;
            case "TopK":
            case "MaxPool":
                return output == 1 ? DataType.INT64_VALUE : in(n, 0);
            case "Unique":
                return output == 0 ? in(n, 0) : DataType.INT64_VALUE;
            case "Dropout":
                return output == 1 ? DataType.BOOL_VALUE : in(n, 0);
            case "LayerNormalization":
                if (output > 0) {
                    AttributeProto s = attr(n, "stash_type");
                    return s == null ? DataType.FLOAT_VALUE : (int) s.getI();
                }
                return in(n, 0);
            default:
                return in(n, 0);
        }
    }

    private static int constantType(NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    return a.getT().getDataType();
                case "value_float":
                case "value_floats":
                    return DataType.FLOAT_VALUE;
                case "value_int":
                case "value_ints":
                    return DataType.INT64_VALUE;
                case "value_string":
                case "value_strings":
                    return DataType.STRING_VALUE;
                default:
                    break;
            }
        }
        return UNKNOWN;
    }

    static AttributeProto attr(NodeProto n, String name) {
        List<AttributeProto> attrs = n.getAttributeList();
        for (AttributeProto a : attrs) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
