package dev.vitrt.engine.int8;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vitrt.models.onnx.OnnxTensors;
import java.util.Random;

/**
 * A small image model tagged like a zoo graph: input [batch, 3, 16, 16] -> stem conv (bias) -> Relu -> 1x1 conv
 * (bias) + residual Add -> global average pool -> Gemm head (bias) -> logits [batch, 10]. Enough for every Q/DQ
 * layout feature: conv and Gemm biases, a residual Add, conv outputs.
 */
final class TinyCnn {
    private TinyCnn() {
    }

    static ModelProto model() {
        Random rnd = new Random(5);
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_cnn");
        g.addInput(value("input", 3, 16, 16)).addOutput(value("logits", 10));
        weight(g, rnd, "stem.conv.weight", 8, 3, 3, 3);
        weight(g, rnd, "stem.conv.bias", 8);
        weight(g, rnd, "stages.0.blocks.0.conv.weight", 8, 8, 1, 1);
        weight(g, rnd, "stages.0.blocks.0.conv.bias", 8);
        weight(g, rnd, "head.fc.weight", 10, 8);
        weight(g, rnd, "head.fc.bias", 10);
        g.addNode(node("Conv", "stem.conv/Conv", "s", "input", "stem.conv.weight", "stem.conv.bias")
                .addAttribute(AttributeProto.newBuilder().setName("pads").setType(AttributeProto.AttributeType.INTS)
                        .addInts(1).addInts(1).addInts(1).addInts(1)));
        g.addNode(node("Relu", "stem.act/Relu", "r", "s"));
        g.addNode(node("Conv", "stages.0.blocks.0.conv/Conv", "c", "r", "stages.0.blocks.0.conv.weight",
                "stages.0.blocks.0.conv.bias"));
        g.addNode(node("Add", "stages.0.blocks.0/Add", "a", "c", "r"));
        g.addNode(node("GlobalAveragePool", "head.pool/GlobalAveragePool", "p", "a"));
        g.addNode(node("Flatten", "head/Flatten", "f", "p"));
        g.addNode(node("Gemm", "head.fc/Gemm", "logits", "f", "head.fc.weight", "head.fc.bias")
                .addAttribute(AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT)
                        .setI(1)));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17));
        meta(m, "vitrt.model", "tiny_cnn");
        meta(m, "vitrt.input_size", "16");
        meta(m, "vitrt.crop_pct", "1.0");
        meta(m, "vitrt.blocks", "{\"stem\":\"Stem\",\"stages.0.blocks.0\":\"Blk\",\"head\":\"Head\"}");
        return m.build();
    }

    private static void meta(ModelProto.Builder m, String k, String v) {
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v));
    }

    private static NodeProto.Builder node(String op, String name, String out, String... in) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
        for (String i : in) {
            n.addInput(i);
        }
        return n;
    }

    private static void weight(GraphProto.Builder g, Random rnd, String name, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * 0.3);
        }
        g.addInitializer(OnnxTensors.floatTensor(name, dims, v));
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }
}
