package dev.vitrt.runtime.testing;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Builds small ONNX models for tests, named and tagged the way the zoo's graphs are: input {@code input}
 * [batch, 3, S, S], output {@code logits} [batch, classes], node names {@code <module path>/<op>}, and
 * {@code vitrt.blocks}/{@code vitrt.parts} metadata.
 *
 * <p>Graph: stem (Conv 3->C, Relu) -> two "Blk" blocks (each: mixer.conv Conv CxC + Relu, mlp.fc Conv 1x1, residual
 * Add) -> head (GlobalAveragePool, Flatten, Gemm to classes).
 */
public final class TinyModels {
    private TinyModels() {
    }

    /** Writes the tagged tiny model with {@code channels} channels at {@code size}x{@code size} to {@code file}. */
    public static Path taggedCnn(Path file, int size, int channels, int classes, boolean withMetadata) throws IOException {
        return taggedCnn(file, size, channels, classes, withMetadata, Map.of());
    }

    /** {@link #taggedCnn(Path, int, int, int, boolean)} with more metadata ({@code vitrt.mean}, ...). */
    public static Path taggedCnn(Path file, int size, int channels, int classes, boolean withMetadata,
            Map<String, String> moreMetadata) throws IOException {
        Random rnd = new Random(42);
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny");
        g.addInput(valueInfo("input", "batch", 3, size, size));
        g.addOutput(valueInfo("logits", "batch", classes));
        conv(g, rnd, "stem.conv", "input", "stem_c", 3, channels, 3);
        g.addNode(node("Relu", "stem.act/Relu", new String[] {"stem_c"}, "stem_out"));
        String x = "stem_out";
        for (int b = 0; b < 2; b++) {
            String p = "stages.0.blocks." + b;
            conv(g, rnd, p + ".mixer.conv", x, p + "_m", channels, channels, 3);
            g.addNode(node("Relu", p + ".mixer.act/Relu", new String[] {p + "_m"}, p + "_mr"));
            conv(g, rnd, p + ".mlp.fc", p + "_mr", p + "_f", channels, channels, 1);
            g.addNode(node("Add", p + "/Add", new String[] {x, p + "_f"}, p + "_out"));
            x = p + "_out";
        }
        g.addNode(node("GlobalAveragePool", "head.pool/GlobalAveragePool", new String[] {x}, "pooled"));
        g.addNode(node("Flatten", "head/Flatten", new String[] {"pooled"}, "flat"));
        g.addInitializer(tensor("head.fc.weight", rnd, classes, channels));
        g.addInitializer(tensor("head.fc.bias", rnd, classes));
        g.addNode(node("Gemm", "head.fc/Gemm", new String[] {"flat", "head.fc.weight", "head.fc.bias"}, "logits")
                .toBuilder().addAttribute(AttributeProto.newBuilder().setName("transB").setI(1)
                        .setType(AttributeProto.AttributeType.INT)).build());
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName("vitrt-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(g);
        if (withMetadata) {
            meta(m, "vitrt.model", "tiny");
            meta(m, "vitrt.blocks", "{\"stem\":\"Stem\",\"stages.0.blocks.0\":\"Blk\",\"stages.0.blocks.1\":\"Blk\","
                    + "\"head\":\"Head\"}");
            meta(m, "vitrt.parts", "{\"Blk\":{\"mixer\":\"Mixer\",\"mlp\":\"MLP\"}}");
            meta(m, "vitrt.input_size", Integer.toString(size));
        }
        moreMetadata.forEach((k, v) -> meta(m, k, v));
        Files.write(file, m.build().toByteArray());
        return file;
    }

    private static void meta(ModelProto.Builder m, String k, String v) {
        m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v));
    }

    private static void conv(GraphProto.Builder g, Random rnd, String path, String in, String out, int cin, int cout,
            int k) {
        g.addInitializer(tensor(path + ".weight", rnd, cout, cin, k, k));
        g.addInitializer(tensor(path + ".bias", rnd, cout));
        NodeProto.Builder n = node("Conv", path + "/Conv", new String[] {in, path + ".weight", path + ".bias"}, out)
                .toBuilder();
        int pad = k / 2;
        n.addAttribute(ints("pads", pad, pad, pad, pad));
        n.addAttribute(ints("kernel_shape", k, k));
        g.addNode(n);
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static NodeProto node(String op, String name, String[] in, String out) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
        for (String i : in) {
            n.addInput(i);
        }
        return n.build();
    }

    private static TensorProto tensor(String name, Random rnd, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber());
        long n = 1;
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        double scale = 1.0 / Math.sqrt(n / (double) dims[0]);
        for (long i = 0; i < n; i++) {
            t.addFloatData((float) (rnd.nextGaussian() * scale));
        }
        return t.build();
    }

    private static ValueInfoProto valueInfo(String name, String dynamicDim0, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(dynamicDim0));
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
    }

    /** A map of metadata for folding tests without a model. */
    public static Map<String, String> tinyMetadata() {
        return Map.of("vitrt.blocks", "{\"stem\":\"Stem\",\"stages.0.blocks.0\":\"Blk\",\"stages.0.blocks.1\":\"Blk\","
                + "\"head\":\"Head\"}", "vitrt.parts", "{\"Blk\":{\"mixer\":\"Mixer\",\"mlp\":\"MLP\"}}");
    }
}
