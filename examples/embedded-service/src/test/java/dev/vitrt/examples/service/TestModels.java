package dev.vitrt.examples.service;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small ONNX image classifiers for the service's tests, tagged like zoo graphs. */
final class TestModels {
    private TestModels() {
    }

    /**
     * {@code tiny_fc}: input[batch,3,32,32] -> 4x4/4 patch conv (16 ch) -> ReLU -> flatten (1024) -> FC 2048 -> ReLU
     * -> FC 1000 -> logits[batch,1000]. Its 16 MB of FC weights make a batch-1 run memory-bound, the case where
     * batching pays even on a CPU (the weights are read once per batch, not once per image).
     */
    static Path tinyFc(Path dir, boolean dynamicBatch) throws IOException {
        Random rnd = new Random(3);
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_fc");
        g.addInput(vi("input", dynamicBatch ? -1 : 1, 3, 32, 32));
        g.addOutput(vi("logits", dynamicBatch ? -1 : 1, 1000));
        g.addInitializer(tensor("w0", rnd, 1.0 / Math.sqrt(48), 16, 3, 4, 4));
        g.addInitializer(tensor("b0", rnd, 0.1, 16));
        g.addInitializer(tensor("w1", rnd, 1.0 / Math.sqrt(1024), 1024, 2048));
        g.addInitializer(tensor("b1", rnd, 0.1, 2048));
        g.addInitializer(tensor("w2", rnd, 1.0 / Math.sqrt(2048), 2048, 1000));
        g.addInitializer(tensor("b2", rnd, 0.1, 1000));
        g.addNode(node("Conv", "stem/Conv", "s", "input", "w0", "b0")
                .addAttribute(ints("kernel_shape", 4, 4)).addAttribute(ints("strides", 4, 4)));
        g.addNode(node("Relu", "stem/Relu", "s1", "s"));
        g.addNode(node("Flatten", "head/Flatten", "f", "s1"));
        g.addNode(node("Gemm", "head/fc1/Gemm", "h", "f", "w1", "b1"));
        g.addNode(node("Relu", "head/Relu", "h1", "h"));
        g.addNode(node("Gemm", "head/fc2/Gemm", "logits", "h1", "w2", "b2"));
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addMetadataProps(meta("vitrt.model", "tiny_fc"))
                .addMetadataProps(meta("vitrt.input_size", "32"))
                .addMetadataProps(meta("vitrt.crop_pct", "0.875"))
                .addMetadataProps(meta("vitrt.mean", "0.485,0.456,0.406"))
                .addMetadataProps(meta("vitrt.std", "0.229,0.224,0.225"))
                .addMetadataProps(meta("vitrt.interpolation", "bicubic"))
                .build();
        Path p = dir.resolve(dynamicBatch ? "tiny_fc.onnx" : "tiny_fc_b1.onnx");
        Files.write(p, m.toByteArray());
        return p;
    }

    private static StringStringEntryProto meta(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    private static ValueInfoProto vi(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    private static TensorProto tensor(String name, Random rnd, double scale, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        ByteBuffer b = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            b.putFloat((float) (rnd.nextGaussian() * scale));
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static NodeProto.Builder node(String op, String name, String out, String... in) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
        for (String i : in) {
            n.addInput(i);
        }
        return n;
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }
}
