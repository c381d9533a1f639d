package dev.vitrt.engine.precision;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs a one-input, one-output float32 graph in ONNX Runtime (CPU, all optimizations), for tests. */
final class Ort {
    private Ort() {
    }

    static float[] run(byte[] model, long[] shape, float[] input) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setIntraOpNumThreads(2);
            try (OrtSession s = env.createSession(model, so);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                 OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
                OnnxTensor out = (OnnxTensor) r.get(0);
                FloatBuffer fb = out.getFloatBuffer();
                float[] a = new float[fb.remaining()];
                fb.get(a);
                return a;
            }
        }
    }

    /** max |a-b| / max |a|. */
    static double relMaxAbsDiff(float[] ref, float[] x) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) ref[i] - x[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return maxDiff / maxRef;
    }

    /** The lowest cosine similarity over rows of {@code cols} values. */
    static double minCosine(float[] a, float[] b, int cols) {
        double min = 1;
        for (int r = 0; r < a.length / cols; r++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int c = r * cols; c < (r + 1) * cols; c++) {
                dot += (double) a[c] * b[c];
                na += (double) a[c] * a[c];
                nb += (double) b[c] * b[c];
            }
            min = Math.min(min, dot / Math.sqrt(na * nb));
        }
        return min;
    }

    /** Whether every row has the same arg max in both. */
    static boolean sameTop1(float[] a, float[] b, int cols) {
        for (int r = 0; r < a.length / cols; r++) {
            if (argMax(a, r * cols, cols) != argMax(b, r * cols, cols)) {
                return false;
            }
        }
        return true;
    }

    private static int argMax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[off + i] > a[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
