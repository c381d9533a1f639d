package dev.vitrt.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vitrt.runtime.ort.OrtEnvironments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What ONNX Runtime makes of a graph, counted from the graph it optimizes (ORT_ENABLE_ALL, as our sessions run it):
 * nodes by operator, and how many run in INT8 ({@code QLinear*}, {@code QGemm}, ...), how many are Q/DQ conversions,
 * layout changes and copies (Transpose, NCHWc reorders, Split, Concat) or float compute. Unlike a timing, it does not depend on machine load.
 */
record OrtGraphCensus(Map<String, Integer> ops, int nodes, int int8, int qdq, int layout, int floatCompute) {
    private static final Set<String> INT8 = Set.of("QLinearConv", "QLinearMatMul", "QGemm", "QLinearAdd", "QLinearMul",
            "QLinearSigmoid", "QLinearLeakyRelu", "QLinearAveragePool", "QLinearGlobalAveragePool", "QLinearConcat",
            "QLinearSoftmax", "QLinearReduceMean", "MatMulIntegerToFloat", "DynamicQuantizeMatMul", "QAttention",
            "ConvInteger", "MatMulInteger");
    private static final Set<String> QDQ = Set.of("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear");
    private static final Set<String> LAYOUT = Set.of("Transpose", "ReorderInput", "ReorderOutput", "Split", "Concat");
    private static final Set<String> FREE = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity");

    /** Optimizes {@code model} with ONNX Runtime (threads as given, 0 = default) and counts the result. */
    static OrtGraphCensus of(Path model, int threads) throws IOException, OrtException {
        Path opt = Files.createTempFile("vitrt-census-", ".onnx");
        try {
            OrtEnvironment env = OrtEnvironments.get();
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                so.setOptimizedModelFilePath(opt.toString());
                if (threads > 0) {
                    so.setIntraOpNumThreads(threads);
                }
                env.createSession(model.toString(), so).close();
            }
            return count(ModelProto.parseFrom(Files.readAllBytes(opt)));
        } finally {
            Files.deleteIfExists(opt);
        }
    }

    static OrtGraphCensus count(ModelProto m) {
        Map<String, Integer> ops = new TreeMap<>();
        int int8 = 0;
        int qdq = 0;
        int layout = 0;
        int fl = 0;
        for (NodeProto n : m.getGraph().getNodeList()) {
            String op = n.getOpType();
            ops.merge(op, 1, Integer::sum);
            if (INT8.contains(op)) {
                int8++;
            } else if (QDQ.contains(op)) {
                qdq++;
            } else if (LAYOUT.contains(op)) {
                layout++;
            } else if (!FREE.contains(op)) {
                fl++;
            }
        }
        return new OrtGraphCensus(ops, m.getGraph().getNodeCount(), int8, qdq, layout, fl);
    }

    /** One line: totals, then every operator with its count. */
    String summary() {
        return String.format(java.util.Locale.ROOT, "%d nodes: %d int8, %d Q/DQ, %d layout, %d float compute; %s",
                nodes, int8, qdq, layout, floatCompute, ops);
    }
}
