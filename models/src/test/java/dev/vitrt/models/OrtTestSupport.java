package dev.vitrt.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.onnx.OnnxWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/** Test helpers: run a built graph in ONNX Runtime (all optimisations on), compare outputs, find test fixtures. */
public final class OrtTestSupport {
    private OrtTestSupport() {
    }

    /** Runs {@code g} on one float32 input [shape] and returns the flattened first output. */
    public static float[] run(Graph g, float[] input, long... shape) throws OrtException {
        return runAll(g, input, shape).get(0);
    }

    /** Runs {@code g} on one float32 input [shape] and returns every output, flattened, in the graph's order. */
    public static java.util.List<float[]> runAll(Graph g, float[] input, long... shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(OnnxWriter.toBytes(g), opts);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                 OrtSession.Result r = session.run(Map.of(g.inputs.get(0).name(), in))) {
                java.util.List<float[]> outs = new java.util.ArrayList<>();
                for (int i = 0; i < r.size(); i++) {
                    FloatBuffer fb = ((OnnxTensor) r.get(i)).getFloatBuffer();
                    float[] v = new float[fb.remaining()];
                    fb.get(v);
                    outs.add(v);
                }
                return outs;
            }
        }
    }

    /** max |a - b| / max |b|: the fixtures' parity measure. */
    public static double relativeError(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " vs " + b.length + " values");
        }
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) a[i] - b[i]));
            maxRef = Math.max(maxRef, Math.abs((double) b[i]));
        }
        return maxDiff / maxRef;
    }

    /** A file under src/test/resources (copied to target/test-classes). */
    public static Path resource(String name) {
        URL url = OrtTestSupport.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Seeded standard-normal-ish values. */
    public static float[] randomInput(long seed, int n) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1) * 1.7f;
        }
        return v;
    }
}
