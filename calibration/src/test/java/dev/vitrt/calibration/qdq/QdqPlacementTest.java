package dev.vitrt.calibration.qdq;

import static dev.vitrt.calibration.TinyModel.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.vitrt.calibration.TinyModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Q/DQ placement rules on small hand-built graphs. */
class QdqPlacementTest {
    private static final QdqOptions TRT = new QdqOptions(QdqTarget.TENSORRT, NodeFilter.none());
    private static final QdqOptions ORT = new QdqOptions(QdqTarget.ORT, NodeFilter.none());

    /** Plans and inserts with scale 0.05 for every activation. */
    static ModelProto quantize(ModelProto m, QdqOptions o) {
        QdqPlan plan = QdqPlanner.plan(m, o);
        Map<String, Float> scales = new HashMap<>();
        plan.activationTensors().forEach(t -> scales.put(t, 0.05f));
        return QdqInserter.insert(m, plan, scales);
    }

    static NodeProto node(ModelProto m, String name) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
    }

    /** The op type producing {@code tensor}, or "init"/"input". */
    static String producerOp(ModelProto m, String tensor) {
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (n.getOutputList().contains(tensor)) {
                return n.getOpType();
            }
        }
        return m.getGraph().getInitializerList().stream().anyMatch(t -> t.getName().equals(tensor)) ? "init" : "input";
    }

    static NodeProto producer(ModelProto m, String tensor) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOutputList().contains(tensor)).findFirst()
                .orElse(null);
    }

    static TensorProto init(ModelProto m, String name) {
        return m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElse(null);
    }

    @Test
    void tensorRtLayoutQuantizesWeightedInputsAndTheResidual() {
        ModelProto q = quantize(TinyModel.convResidual(), TRT);
        NodeProto conv1 = node(q, "b0.conv1/Conv");
        NodeProto conv2 = node(q, "b0.conv2/Conv");
        NodeProto add = node(q, "b0/Add");
        assertEquals("DequantizeLinear", producerOp(q, conv1.getInput(0)));
        assertEquals("DequantizeLinear", producerOp(q, conv2.getInput(0)));
        // weights: int8 per output channel (axis 0), zero point 0
        NodeProto wdq = producer(q, conv1.getInput(1));
        assertEquals("DequantizeLinear", wdq.getOpType());
        assertEquals(0, wdq.getAttribute(0).getI());
        TensorProto wq = init(q, wdq.getInput(0));
        assertEquals(TensorProto.DataType.INT8_VALUE, wq.getDataType());
        assertEquals(8, init(q, wdq.getInput(1)).getDims(0));
        assertTrue(init(q, wdq.getInput(2)).getRawData().toByteArray().length == 8);
        // bias stays float for TensorRT
        assertEquals("b0.conv1.bias", conv1.getInput(2));
        // residual: the Add's non-conv input (the graph input) is dequantized; the conv output stays float
        assertEquals("DequantizeLinear", producerOp(q, add.getInput(1)));
        assertEquals("c2", add.getInput(0));
        // no Q/DQ on conv outputs in the TensorRT layout
        assertEquals("Relu", node(q, "b0.act/Relu").getOpType());
        assertEquals("c1", node(q, "b0.act/Relu").getInput(0));
        // one Q/DQ pair for the input shared by conv1 and the Add; activation zero points are int8 0
        long qs = q.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).count();
        assertEquals(2, qs);
        NodeProto qin = producer(q, producer(q, conv1.getInput(0)).getInput(0));
        TensorProto zp = init(q, qin.getInput(2));
        assertEquals(TensorProto.DataType.INT8_VALUE, zp.getDataType());
        assertEquals(0, zp.getRawData().byteAt(0));
        assertEquals(0, zp.getDimsCount());
        assertTrue(node(q, "b0.conv1/QuantizeLinear") != null || qin.getName().endsWith("QuantizeLinear"));
        assertEquals("tensorrt", meta(q, "vitrt.qdq.target"));
    }

    @Test
    void ortLayoutAddsConvOutputsAndInt32Biases() {
        ModelProto q = quantize(TinyModel.convResidual(), ORT);
        NodeProto conv1 = node(q, "b0.conv1/Conv");
        NodeProto bdq = producer(q, conv1.getInput(2));
        assertEquals("DequantizeLinear", bdq.getOpType());
        TensorProto bq = init(q, bdq.getInput(0));
        assertEquals(TensorProto.DataType.INT32_VALUE, bq.getDataType());
        // bias scale = activation scale (0.05) x weight scale of that channel
        NodeProto wdq = producer(q, conv1.getInput(1));
        float ws0 = init(q, wdq.getInput(1)).getRawData().asReadOnlyByteBuffer()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0);
        float bs0 = init(q, bdq.getInput(1)).getRawData().asReadOnlyByteBuffer()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0);
        assertEquals(0.05f * ws0, bs0, 1e-9);
        // conv2's output is quantized and read only through its Q (so that ORT can fuse DQ -> Conv -> Q)
        List<NodeProto> readers = q.getGraph().getNodeList().stream().filter(n -> n.getInputList().contains("c2"))
                .toList();
        assertEquals(List.of("QuantizeLinear"), readers.stream().map(NodeProto::getOpType).toList());
        assertEquals("ort", meta(q, "vitrt.qdq.target"));
    }

    @Test
    void ortLayoutQuantizesAfterTheReluOfAConvOnTheUnsignedGrid() {
        ModelProto q = quantize(TinyModel.convResidual(), ORT);
        // conv1 -> Relu: no Q/DQ between them; the Relu's output is quantized (uint8, zero point 0, threshold / 255),
        // which lets ONNX Runtime drop the Relu and fuse conv1 into a QLinearConv
        NodeProto relu = node(q, "b0.act/Relu");
        assertEquals("c1", relu.getInput(0));
        List<NodeProto> readers = q.getGraph().getNodeList().stream().filter(n -> n.getInputList().contains("r1"))
                .toList();
        assertEquals(List.of("QuantizeLinear"), readers.stream().map(NodeProto::getOpType).toList());
        NodeProto qr = readers.get(0);
        TensorProto zp = init(q, qr.getInput(2));
        assertEquals(TensorProto.DataType.UINT8_VALUE, zp.getDataType());
        assertEquals(0, zp.getRawData().byteAt(0));
        assertEquals(0.05f * 127 / 255, floatAt(init(q, qr.getInput(1)), 0), 1e-8);
        // the symmetric values keep zero point 128 (uint8) and the calibrated scale
        NodeProto qin = producer(q, producer(q, node(q, "b0.conv1/Conv").getInput(0)).getInput(0));
        assertEquals(128, init(q, qin.getInput(2)).getRawData().byteAt(0) & 0xff);
        assertEquals(0.05f, floatAt(init(q, qin.getInput(1)), 0), 1e-9);
        // conv2's int32 bias would use the unsigned input scale: (no bias here) its input reads the unsigned DQ
        assertEquals("DequantizeLinear", producerOp(q, node(q, "b0.conv2/Conv").getInput(0)));
        assertEquals(Set.of("r1"), QdqPlanner.plan(TinyModel.convResidual(), ORT).nonNegative());
        assertEquals(Set.of(), QdqPlanner.plan(TinyModel.convResidual(), TRT).nonNegative());
    }

    @Test
    void ortLayoutRunsTheSiluGateInInt8() {
        // conv1 -> SiLU (x * Sigmoid(x)) -> conv2: the gate is quantized too, so all of the SiLU reads int8 values
        ModelProto m = TinyModel.convSiluConv(4);
        assertEquals(Set.of("input", "c1", "s", "y"), QdqPlanner.plan(m, ORT).activationTensors());
        assertEquals(Set.of("s"), QdqPlanner.plan(m, ORT).nonNegative(), "the gate is in [0, 1]");
        assertEquals(Map.of("y", QdqPlanner.SILU_MIN), QdqPlanner.plan(m, ORT).lowerBounds(), "SiLU >= -0.2785");
        assertEquals(Map.of(), QdqPlanner.plan(m, TRT).lowerBounds());
        ModelProto q = quantize(m, ORT);
        // the product goes on the uint8 grid over [-0.2785, threshold]: 255 steps where the symmetric grid spends
        // 127 on the positive side; 0 is a grid point (the zero point)
        NodeProto qy = q.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("QuantizeLinear") && n.getInput(0).equals("y")).findFirst()
                .orElseThrow();
        float step = (0.05f * 127 - QdqPlanner.SILU_MIN) / 255;
        assertEquals(step, floatAt(init(q, qy.getInput(1)), 0), 1e-8);
        assertEquals(Math.round(-QdqPlanner.SILU_MIN / step), init(q, qy.getInput(2)).getRawData().byteAt(0) & 0xff);
        // a SiLU whose threshold (0.127) is under the bound takes values in about [-threshold, threshold]: the
        // floor is minus the threshold (the symmetric grid again, zero point 128), not the bound
        QdqPlan plan = QdqPlanner.plan(m, ORT);
        Map<String, Float> small = new HashMap<>();
        plan.activationTensors().forEach(t -> small.put(t, 0.001f));
        ModelProto qs = QdqInserter.insert(m, plan, small);
        NodeProto qys = qs.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("QuantizeLinear") && n.getInput(0).equals("y")).findFirst()
                .orElseThrow();
        assertEquals(0.001f * 127 * 2 / 255, floatAt(init(qs, qys.getInput(1)), 0), 1e-9);
        assertEquals(128, init(qs, qys.getInput(2)).getRawData().byteAt(0) & 0xff);
        NodeProto mul = node(q, "b.act/Mul");
        assertEquals("DequantizeLinear", producerOp(q, mul.getInput(0)));
        assertEquals("DequantizeLinear", producerOp(q, mul.getInput(1)));
        assertEquals("DequantizeLinear", producerOp(q, node(q, "b.act/Sigmoid").getInput(0)));
        // TensorRT fuses the pointwise SiLU itself: only the weighted ops' inputs are quantized
        assertEquals(Set.of("input", "y"), QdqPlanner.plan(m, TRT).activationTensors());
        // a SiLU whose product stays float (here: the graph output) keeps its gate in float
        ModelProto tail = new TinyModel().input("input", 1, 4, 4, 4).weight("b.conv1.weight", 4, 4, 1, 1)
                .node("Conv", "b.conv1/Conv", of("input", "b.conv1.weight"), of("c1"))
                .node("Sigmoid", "b.act/Sigmoid", of("c1"), of("s"))
                .node("Mul", "b.act/Mul", of("c1", "s"), of("logits"))
                .output("logits", 1, 4, 4, 4).build();
        assertFalse(QdqPlanner.plan(tail, ORT).activationTensors().contains("s"));
    }

    @Test
    void ortLayoutLeavesTheImageToAFloatStem() {
        // conv1 reads the 3-channel image: ONNX Runtime would spend more quantizing it (and transposing it to NHWC)
        // than an int8 stem saves, so the image, conv1's weight and output, and the SiLU stay float there
        ModelProto m = TinyModel.convSiluConv(3);
        QdqPlan ort = QdqPlanner.plan(m, ORT);
        assertEquals(Set.of("y"), ort.activationTensors());
        assertEquals(List.of("b.conv2.weight"), ort.weights().stream().map(QdqPlan.WeightUse::initializer).toList());
        assertEquals("input", node(quantize(m, ORT), "b.conv1/Conv").getInput(0));
        // TensorRT quantizes the image as before; a 4-channel input is not an image
        assertEquals(Set.of("input", "y"), QdqPlanner.plan(m, TRT).activationTensors());
        assertTrue(QdqPlanner.plan(TinyModel.convSiluConv(4), ORT).activationTensors().contains("input"));
    }

    static float floatAt(TensorProto t, int i) {
        return t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(4 * i);
    }

    @Test
    void nothingInsideSoftmaxOrReductions() {
        // attention-like: scores = MatMul(x, Wq); p = Softmax(scores); ctx = ReduceSum(p * x); y = MatMul(ctx, Wo)
        ModelProto m = new TinyModel().input("x", 4, 16).weight("attn.q.weight", 16, 16)
                .weight("attn.o.weight", 16, 16)
                .node("MatMul", "attn.q/MatMul", of("x", "attn.q.weight"), of("scores"))
                .node("Softmax", "attn/Softmax", of("scores"), of("p"), "axis", -1)
                .node("Mul", "attn/Mul", of("p", "x"), of("px"))
                .node("ReduceSum", "attn/ReduceSum", of("px"), of("ctx"), "keepdims", 1)
                .node("Conv", "attn.pw/Conv", of("p4", "attn.o.weight"), of("unused"))
                .node("MatMul", "attn.o/MatMul", of("ctx", "attn.o.weight"), of("logits"))
                .output("logits", 1, 16).build();
        // (the Conv reads a value nobody makes: it only checks that placement copes with odd graphs; drop it)
        m = m.toBuilder().setGraph(m.getGraph().toBuilder().removeNode(4)).build();
        for (QdqOptions o : List.of(TRT, ORT)) {
            ModelProto q = quantize(m, o);
            assertEquals("scores", node(q, "attn/Softmax").getInput(0), "softmax input stays float");
            assertEquals("px", node(q, "attn/ReduceSum").getInput(0), "reduction input stays float");
            assertEquals("p", node(q, "attn/Mul").getInput(0));
            assertEquals("DequantizeLinear", producerOp(q, node(q, "attn.o/MatMul").getInput(0)));
            assertEquals("DequantizeLinear", producerOp(q, node(q, "attn.q/MatMul").getInput(0)));
            // x feeds both the MatMul (quantized) and the Mul, which reads the same dequantized value
            NodeProto wdq = producer(q, node(q, "attn.q/MatMul").getInput(1));
            assertEquals(1, wdq.getAttribute(0).getI(), "MatMul [K,N] weights are per column: axis 1");
        }
    }

    @Test
    void ortLayoutDoesNotQuantizeConvOutputsThatReachASoftmax() {
        ModelProto m = new TinyModel().input("x", 1, 4, 2, 2).weight("a.qkv.weight", 3, 4, 1, 1)
                .node("Conv", "a.qkv/Conv", of("x", "a.qkv.weight"), of("qkv"))
                .node("Reshape", "a/Reshape", of("qkv", "shape"), of("flat"))
                .node("Softmax", "a/Softmax", of("flat"), of("logits"), "axis", -1)
                .weight("shape", new long[] {2}, new float[] {1, 12}).output("logits", 1, 12).build();
        ModelProto q = quantize(m, ORT);
        assertEquals("qkv", node(q, "a/Reshape").getInput(0));
    }

    @Test
    void gemmTransposedWeightsArePerRow() {
        ModelProto m = new TinyModel().input("x", 2, 8).weight("head.fc.weight", 10, 8).weight("head.fc.bias", 10)
                .node("Gemm", "head.fc/Gemm", of("x", "head.fc.weight", "head.fc.bias"), of("logits"), "transB", 1)
                .output("logits", 2, 10).build();
        ModelProto q = quantize(m, TRT);
        NodeProto wdq = producer(q, node(q, "head.fc/Gemm").getInput(1));
        assertEquals(0, wdq.getAttribute(0).getI());
        assertEquals(10, init(q, wdq.getInput(1)).getDims(0));
    }

    @Test
    void excludedBlocksStayFloat() {
        ModelProto m = TinyModel.convResidual();
        QdqOptions o = ORT.withExclude(new NodeFilter(List.of("b0.conv2")));
        ModelProto q = quantize(m, o);
        NodeProto conv2 = node(q, "b0.conv2/Conv");
        assertEquals("r1", conv2.getInput(0));
        assertEquals("b0.conv2.weight", conv2.getInput(1));
        assertEquals("DequantizeLinear", producerOp(q, node(q, "b0.conv1/Conv").getInput(1)));
        // a regular expression works too, and a glob on a block prefix
        assertTrue(new NodeFilter(List.of("conv[12]/Conv$")).excludes("b0.conv2/Conv"));
        assertTrue(new NodeFilter(List.of("stages.2.*")).excludes("stages.2.blocks.4.e_mhsa.q/MatMul"));
        assertTrue(new NodeFilter(List.of("stages.2.blocks.4")).excludes("stages.2.blocks.4.e_mhsa.q/MatMul"));
        assertFalse(new NodeFilter(List.of("stages.2.blocks.4")).excludes("stages.2.blocks.40.mlp.fc1/Conv"));
        assertTrue(new NodeFilter(List.of("stages.0.blocks.1.mlp"))
                .excludes("/stages/stages.0/blocks/blocks.1/mlp/fc1/Conv"));
        assertThrows(IllegalArgumentException.class, () -> new NodeFilter(List.of("(unclosed")));
    }

    @Test
    void float16WeightsBehindCastAreQuantizedAndTheCastDropped() {
        short[] half = {0x3c00, (short) 0xbc00, 0x3800, 0x0000}; // 1, -1, 0.5, 0
        byte[] raw = new byte[8];
        for (int i = 0; i < 4; i++) {
            raw[2 * i] = (byte) half[i];
            raw[2 * i + 1] = (byte) (half[i] >> 8);
        }
        ModelProto m = new TinyModel().input("x", 1, 2).output("logits", 1, 2)
                .node("Cast", "fc/Cast", of("fc.weight_fp16"), of("fc.weight"), "to", 1)
                .node("MatMul", "fc/MatMul", of("x", "fc.weight"), of("logits")).build();
        m = m.toBuilder().setGraph(m.getGraph().toBuilder().addInitializer(TensorProto.newBuilder()
                .setName("fc.weight_fp16").setDataType(TensorProto.DataType.FLOAT16_VALUE).addDims(2).addDims(2)
                .setRawData(ByteString.copyFrom(raw)))).build();
        ModelProto q = quantize(m, ORT);
        assertTrue(q.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Cast")));
        NodeProto wdq = producer(q, node(q, "fc/MatMul").getInput(1));
        byte[] w = init(q, wdq.getInput(0)).getRawData().toByteArray();
        // per column (axis 1): column 0 = {1, 0.5} -> {127, 64}; column 1 = {-1, 0} -> {-127, 0}
        assertEquals(List.of(127, -127, 64, 0), List.of((int) w[0], (int) w[1], (int) w[2], (int) w[3]));
        assertNull(init(q, "fc.weight_fp16"));
    }

    @Test
    void missingScaleOrOldOpsetIsAClearError() {
        ModelProto m = TinyModel.convResidual();
        QdqPlan plan = QdqPlanner.plan(m, ORT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QdqInserter.insert(m, plan, Map.of()));
        assertTrue(e.getMessage().startsWith("no calibration scale for tensor"), e.getMessage());
        ModelProto old = m.toBuilder().setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(11)).build();
        Map<String, Float> s = new HashMap<>();
        plan.activationTensors().forEach(t -> s.put(t, 0.1f));
        e = assertThrows(IllegalArgumentException.class, () -> QdqInserter.insert(old, plan, s));
        assertTrue(e.getMessage().contains("opset 11"), e.getMessage());
    }

    @Test
    void planListsEveryActivationOnce() {
        QdqPlan plan = QdqPlanner.plan(TinyModel.convResidual(), ORT);
        // c1 is read only by the Relu: its output r1 is quantized instead
        assertEquals(Set.of("input", "r1", "c2"), plan.activationTensors());
        assertNotNull(plan.activations().get("input"));
        assertEquals(2, plan.activations().get("input").size(), "conv1 and the residual Add read it");
    }

    static String meta(ModelProto m, String key) {
        return m.getMetadataPropsList().stream().filter(p -> p.getKey().equals(key)).findFirst().orElseThrow()
                .getValue();
    }
}
