package dev.vitrt.calibration.qdq;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/** Test support for the ORT-layout rewrites: apply one to a model, run a one-input model on ONNX Runtime. */
final class OrtRuns {
    private OrtRuns() {
    }

    /** {@code m} after {@code rewrite} (given a fresh-name source that only avoids its own repeats). */
    static ModelProto rewritten(ModelProto m, BiConsumer<GraphProto.Builder, UnaryOperator<String>> rewrite) {
        GraphProto.Builder g = m.getGraph().toBuilder();
        Set<String> used = new HashSet<>();
        rewrite.accept(g, base -> {
            String n = base;
            for (int k = 1; !used.add(n); k++) {
                n = base + "_" + k;
            }
            return n;
        });
        return m.toBuilder().setGraph(g).build();
    }

    /** The first output of {@code m} for {@code x} as its input named "input", at optimization {@code level}. */
    static float[] run(ModelProto m, float[] x, long[] shape, OrtSession.SessionOptions.OptLevel level)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "vitrt-test");
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(level);
            try (OrtSession s = env.createSession(m.toByteArray(), so);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                 OrtSession.Result r = s.run(Map.of("input", in))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }
}
