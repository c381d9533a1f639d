package dev.vitrt.engine.precision;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/** Small graphs for tests elsewhere in the module. */
public final class TinyGraphs {
    private TinyGraphs() {
    }

    /** input[batch,8] -> MatMul -> Add -> Relu -> MatMul -> logits[batch,4], tagged like a zoo graph. */
    public static ModelProto mlp() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("mlp");
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(8));
        g.addInput(ValueInfoProto.newBuilder().setName("input").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))));
        TensorShapeProto.Builder o = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(4));
        g.addOutput(ValueInfoProto.newBuilder().setName("logits").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(o))));
        g.addInitializer(Fp16LoweringTest.f32("w1", 8, 8)).addInitializer(Fp16LoweringTest.f32("b1", 8))
                .addInitializer(Fp16LoweringTest.f32("w2", 8, 4));
        g.addNode(Fp16LoweringTest.node("MatMul", "fc1/MatMul", "h", "input", "w1"));
        g.addNode(Fp16LoweringTest.node("Add", "fc1/Add", "h2", "h", "b1"));
        g.addNode(Fp16LoweringTest.node("Relu", "act/Relu", "a", "h2"));
        g.addNode(Fp16LoweringTest.node("MatMul", "head/MatMul", "logits", "a", "w2"));
        return ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("vitrt.model").setValue("tiny_mlp"))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("vitrt.blocks")
                        .setValue("{\"fc1\":\"MLP\",\"head\":\"Head\"}"))
                .build();
    }
}
