package dev.vitrt.engine.precision;

import dev.vitrt.models.onnx.Float16;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** FP16 lowering on a small graph holding each case: weights, a decomposed LayerNorm, shape math, float16 weights. */
class Fp16LoweringTest {
    private static final SplittableRandom RNG = new SplittableRandom(3);

    /**
     * x[2,8] -> MatMul W -> Add b -> decomposed LayerNorm (gamma, beta) -> Div by float(shape[1]) -> MatMul (float16
     * weight W2h cast to float) -> z -> Mul two -> Softmax -> + z -> logits. The constant {@code two} feeds Pow
     * (float32) and the head's Mul (float16).
     */
    static ModelProto model() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("t");
        g.addInput(io("x", 2, 8)).addOutput(io("logits", 2, 4));
        g.addInitializer(f32("W", 8, 8)).addInitializer(f32("b", 8)).addInitializer(f32("gamma", 8))
                .addInitializer(f32("beta", 8)).addInitializer(scalar("eps", 1e-5f)).addInitializer(scalar("two", 2f))
                .addInitializer(f16("W2h", 8, 4))
                .addInitializer(TensorProto.newBuilder().setName("one").setDataType(DataType.INT64_VALUE).addInt64Data(1));
        g.addNode(node("MatMul", "fc/MatMul", "h", "x", "W"));
        g.addNode(node("Add", "fc/Add", "h2", "h", "b"));
        g.addNode(node("ReduceMean", "norm/ReduceMean", "m", "h2").toBuilder().addAttribute(ints("axes", -1)));
        g.addNode(node("Sub", "norm/Sub", "d", "h2", "m"));
        g.addNode(node("Pow", "norm/Pow", "sq", "d", "two"));
        g.addNode(node("ReduceMean", "norm/ReduceMean_1", "v", "sq").toBuilder().addAttribute(ints("axes", -1)));
        g.addNode(node("Add", "norm/Add", "ve", "v", "eps"));
        g.addNode(node("Sqrt", "norm/Sqrt", "s", "ve"));
        g.addNode(node("Div", "norm/Div", "n", "d", "s"));
        g.addNode(node("Mul", "norm/Mul", "gm", "n", "gamma"));
        g.addNode(node("Add", "norm/Add_1", "ln", "gm", "beta"));
        g.addNode(node("Shape", "scale/Shape", "sh", "ln"));
        g.addNode(node("Gather", "scale/Gather", "dim", "sh", "one"));
        g.addNode(node("Cast", "scale/Cast", "dimf", "dim").toBuilder().addAttribute(intAttr("to", DataType.FLOAT_VALUE)));
        g.addNode(node("Div", "scale/Div", "y1", "ln", "dimf"));
        g.addNode(node("Cast", "head/Cast", "W2", "W2h").toBuilder().addAttribute(intAttr("to", DataType.FLOAT_VALUE)));
        g.addNode(node("MatMul", "head/MatMul", "z", "y1", "W2"));
        g.addNode(node("Mul", "head/Mul", "z2", "z", "two"));
        g.addNode(node("Softmax", "head/Softmax", "p", "z2"));
        g.addNode(node("Add", "head/Add", "logits", "p", "z"));
        return ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build();
    }

    @Test
    void lowersWeightsAndTensorsKeepsNormalisationInFloat32() throws Exception {
        ModelProto fp32 = model();
        Fp16Lowering.Result r = Fp16Lowering.lower(fp32);
        GraphProto g = r.model().getGraph();
        Map<String, Integer> initTypes = g.getInitializerList().stream()
                .collect(Collectors.toMap(TensorProto::getName, TensorProto::getDataType));
        assertEquals(DataType.FLOAT16_VALUE, initTypes.get("W"));
        assertEquals(DataType.FLOAT16_VALUE, initTypes.get("b"));
        assertEquals(DataType.FLOAT16_VALUE, initTypes.get("gamma"), "the norm's affine part runs in float16");
        assertEquals(DataType.FLOAT16_VALUE, initTypes.get("beta"));
        assertEquals(DataType.FLOAT_VALUE, initTypes.get("eps"));
        assertEquals(DataType.FLOAT16_VALUE, initTypes.get("W2h"));
        assertEquals(DataType.INT64_VALUE, initTypes.get("one"));
        // 'two' feeds Pow (float32) and the last Mul (float16): one copy each
        assertEquals(DataType.FLOAT_VALUE, initTypes.get("two"));
        assertEquals(DataType.FLOAT16_VALUE, initTypes.get("two_fp16"));

        assertEquals(Map.of("ReduceMean", 2, "Sub", 1, "Pow", 1, "Add", 1, "Sqrt", 1, "Div", 1,
                "Softmax", 1), r.report().float32Nodes());
        assertEquals(1, r.report().castsRemoved(), "the float16 weight's Cast to float32");
        NodeProto head = find(g, "head/MatMul");
        assertEquals("W2h", head.getInput(1), "uses the float16 weight directly");
        NodeProto scaleCast = find(g, "scale/Cast");
        assertEquals(DataType.FLOAT_VALUE, scaleCast.getAttribute(0).getI(), "an int->float Cast stays as it is");

        // the graph's edges stay float32: a Cast in, a Cast out
        assertEquals(DataType.FLOAT_VALUE, g.getInput(0).getType().getTensorType().getElemType());
        assertEquals(DataType.FLOAT_VALUE, g.getOutput(0).getType().getTensorType().getElemType());
        NodeProto last = g.getNode(g.getNodeCount() - 1);
        assertEquals("Cast", last.getOpType());
        assertEquals("logits", last.getOutput(0));
        assertEquals("head/CastOutputToFp32", last.getName(), "named after the producer's module path");
        NodeProto first = g.getNode(0);
        assertEquals("Cast", first.getOpType());
        assertEquals("x", first.getInput(0));
        assertEquals("fc/CastToFp16", first.getName(), "named after the module that reads the input (its block)");
        assertTrue(r.model().getMetadataPropsList().stream()
                .anyMatch(p -> p.getKey().equals("vitrt.precision") && p.getValue().equals("fp16")));

        // it runs in ONNX Runtime and stays close to float32
        float[] x = new float[16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) RNG.nextGaussian();
        }
        float[] ref = Ort.run(fp32.toByteArray(), new long[] {2, 8}, x);
        float[] half = Ort.run(r.model().toByteArray(), new long[] {2, 8}, x);
        double rel = Ort.relMaxAbsDiff(ref, half);
        assertTrue(rel < 5e-3, "relative error " + rel);
        assertTrue(rel > 0, "the FP16 graph really computes in half precision");
    }

    @Test
    void float16IoOptionDropsTheEdgeCasts() throws Exception {
        Fp16Lowering.Result r = Fp16Lowering.lower(model(),
                new Fp16Lowering.Options(true, Fp16Lowering.DEFAULT_FLOAT32_OPS));
        GraphProto g = r.model().getGraph();
        assertEquals(DataType.FLOAT16_VALUE, g.getInput(0).getType().getTensorType().getElemType());
        assertEquals(DataType.FLOAT16_VALUE, g.getOutput(0).getType().getTensorType().getElemType());
        assertFalse(g.getNodeList().stream().anyMatch(n -> n.getName().endsWith("CastOutputToFp32")));
    }

    @Test
    void clampsWeightsBeyondHalfRange() {
        ModelProto m = model();
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals("W")) {
                TensorProto.Builder t = g.getInitializer(i).toBuilder().clearRawData();
                for (int k = 0; k < 64; k++) {
                    t.addFloatData(k == 0 ? 1e6f : k == 1 ? 1e-9f : 0.5f);
                }
                g.setInitializer(i, t);
            }
        }
        Fp16Lowering.Report rep = Fp16Lowering.lower(m.toBuilder().setGraph(g).build()).report();
        assertEquals(1, rep.weightsClamped());
        assertEquals(1, rep.weightsFlushed());
    }

    @Test
    void refusesSubgraphs() {
        ModelProto m = model();
        GraphProto.Builder g = m.getGraph().toBuilder();
        g.addNode(NodeProto.newBuilder().setOpType("If").setName("cond/If").addInput("c").addOutput("o")
                .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH)
                        .setG(GraphProto.newBuilder().setName("then"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fp16Lowering.lower(m.toBuilder().setGraph(g).build()));
        assertTrue(e.getMessage().contains("cond/If"), e.getMessage());
    }

    private static NodeProto find(GraphProto g, String name) {
        return g.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
    }

    static NodeProto node(String op, String name, String out, String... in) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
        for (String i : in) {
            b.addInput(i);
        }
        return b.build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static ValueInfoProto io(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT_VALUE).setShape(s))).build();
    }

    static TensorProto f32(String name, long... dims) {
        int n = (int) java.util.Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat((float) RNG.nextGaussian() * 0.5f);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    static TensorProto f16(String name, long... dims) {
        int n = (int) java.util.Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort(Float16.fromFloat((float) RNG.nextGaussian()));
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT16_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    static TensorProto scalar(String name, float v) {
        return TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT_VALUE).addFloatData(v).build();
    }
}
