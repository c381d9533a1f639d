package dev.vitrt.calibration;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.vitrt.models.onnx.OnnxTensors;
import java.util.Arrays;
import java.util.Random;

/** A small hand-built ONNX graph for tests: float32 tensors, opset 17, names in the zoo's scheme. */
public final class TinyModel {
    private final OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("tiny");
    private final OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17));
    private final Random rnd = new Random(42);

    /** A float32 graph input of the given shape. */
    public TinyModel input(String name, long... shape) {
        g.addInput(valueInfo(name, shape));
        return this;
    }

    /** A float32 graph output of the given shape. */
    public TinyModel output(String name, long... shape) {
        g.addOutput(valueInfo(name, shape));
        return this;
    }

    /** A random float32 initializer (values ~ N(0, 0.1)). */
    public TinyModel weight(String name, long... shape) {
        float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * 0.1);
        }
        g.addInitializer(OnnxTensors.floatTensor(name, shape, v));
        return this;
    }

    /** The shape of an intermediate float32 value (value_info). */
    public TinyModel shape(String name, long... shape) {
        g.addValueInfo(valueInfo(name, shape));
        return this;
    }

    /** An int64 initializer (a Reshape's shape). */
    public TinyModel int64s(String name, long... values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        g.addInitializer(t);
        return this;
    }

    /** Any initializer. */
    public TinyModel initializer(OnnxMl.TensorProto t) {
        g.addInitializer(t);
        return this;
    }

    /** A uint8 scalar initializer (an ONNX Runtime-layout zero point). */
    public TinyModel uint8(String name, int value) {
        g.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.UINT8_VALUE)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) value})));
        return this;
    }

    /** A float32 initializer with these values. */
    public TinyModel weight(String name, long[] shape, float[] values) {
        g.addInitializer(OnnxTensors.floatTensor(name, shape, values));
        return this;
    }

    /** A node; attributes as name/value pairs of ints ("group", 2, ...). */
    public TinyModel node(String op, String name, String[] inputs, String[] outputs, Object... intAttrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name)
                .addAllInput(Arrays.asList(inputs)).addAllOutput(Arrays.asList(outputs));
        for (int i = 0; i < intAttrs.length; i += 2) {
            Object v = intAttrs[i + 1];
            AttributeProto.Builder a = AttributeProto.newBuilder().setName((String) intAttrs[i]);
            if (v instanceof long[] ints) {
                a.setType(AttributeProto.AttributeType.INTS);
                for (long x : ints) {
                    a.addInts(x);
                }
            } else if (v instanceof Float f) {
                a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
            } else {
                a.setType(AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
            }
            n.addAttribute(a);
        }
        g.addNode(n);
        return this;
    }

    public static String[] of(String... names) {
        return names;
    }

    public TinyModel meta(String key, String value) {
        m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value));
        return this;
    }

    public OnnxMl.ModelProto build() {
        return m.setGraph(g).build();
    }

    static OnnxMl.ValueInfoProto valueInfo(String name, long... shape) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : shape) {
            var dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            s.addDim(d < 0 ? dim.setDimParam("d" + s.getDimCount()) : dim.setDimValue(d)); // negative: unknown
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    /** Conv(3x3, 8->8) + Relu + Conv(1x1) + residual Add: the smallest graph with a fusable residual. */
    /** conv1 -> SiLU (x * Sigmoid(x)) -> conv2 on [1, c, 4, 4]. */
    public static OnnxMl.ModelProto convSiluConv(int c) {
        return new TinyModel().input("input", 1, c, 4, 4)
                .weight("b.conv1.weight", c, c, 1, 1).weight("b.conv2.weight", c, c, 1, 1)
                .node("Conv", "b.conv1/Conv", of("input", "b.conv1.weight"), of("c1"))
                .node("Sigmoid", "b.act/Sigmoid", of("c1"), of("s"))
                .node("Mul", "b.act/Mul", of("c1", "s"), of("y"))
                .node("Conv", "b.conv2/Conv", of("y", "b.conv2.weight"), of("logits"))
                .output("logits", 1, c, 4, 4).build();
    }

    public static OnnxMl.ModelProto convResidual() {
        return new TinyModel().input("input", 1, 8, 6, 6)
                .weight("b0.conv1.weight", 8, 8, 3, 3).weight("b0.conv1.bias", 8)
                .weight("b0.conv2.weight", 8, 8, 1, 1)
                .node("Conv", "b0.conv1/Conv", of("input", "b0.conv1.weight", "b0.conv1.bias"), of("c1"),
                        "pads", new long[] {1, 1, 1, 1})
                .node("Relu", "b0.act/Relu", of("c1"), of("r1"))
                .node("Conv", "b0.conv2/Conv", of("r1", "b0.conv2.weight"), of("c2"))
                .node("Add", "b0/Add", of("c2", "input"), of("logits"))
                .output("logits", 1, 8, 6, 6)
                .build();
    }
}
