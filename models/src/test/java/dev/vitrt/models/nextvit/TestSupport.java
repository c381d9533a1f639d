package dev.vitrt.models.nextvit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** Fixtures, .npy reading and ONNX Runtime execution for the model tests. */
final class TestSupport {
    private TestSupport() {
    }

    /** A fixture file; skips the test when the fixtures are absent. */
    static Path fixture(String name) {
        String dir = System.getProperty("vitrt.fixtures");
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, name)), "fixture " + name + " not found");
        return Path.of(dir, name);
    }

    /** Runs a model (its first input and output) once in ONNX Runtime on the CPU with all optimizations. */
    static float[] run(byte[] model, float[] input, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession s = env.createSession(model, o);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                 OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), in))) {
                return ((OnnxTensor) r.get(0)).getFloatBuffer().array();
            }
        }
    }

    /** max |a - b| / max |b|. */
    static double relativeError(float[] actual, float[] expected) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        return maxDiff / maxRef;
    }
}
