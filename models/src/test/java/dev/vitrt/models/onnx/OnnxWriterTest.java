package dev.vitrt.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.weights.Params;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.ModelContext;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Graphs written by OnnxWriter load in ONNX Runtime, run at any batch, and folded BatchNorms equal explicit ones. */
class OnnxWriterTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private static Graph toy(boolean folded, int opset) {
        GraphBuilder g = new GraphBuilder("toy", opset);
        Params p = new Params(null, 42);
        // give the BatchNorm non-trivial statistics
        ModelContext ctx = new ModelContext(g, p, new BlockTable());
        Tensor x = g.input("input", ElementType.FLOAT32, 1, 3, 8, 8);
        Tensor y;
        float[] w = p.param("stem.conv.weight", new long[] {4, 3, 3, 3}, Params.Init.FAN_IN);
        long[] c = {4};
        float[] gamma = {1.5f, 0.5f, -1f, 2f};
        float[] beta = {0.1f, -0.2f, 0.3f, 0f};
        float[] mean = {0.2f, -0.1f, 0.05f, 1f};
        float[] var = {0.8f, 1.2f, 0.6f, 1.4f};
        if (folded) {
            BnAffine bn = affine(gamma, beta, mean, var, 1e-5);
            float[][] f = dev.vitrt.models.layers.Folding.foldAfter(w, null, 4, bn);
            try (var s = g.absoluteScope("stem.conv")) {
                y = g.conv(x, g.weight("weight", new long[] {4, 3, 3, 3}, f[0]), g.weight("bias", c, f[1]),
                        new int[] {1, 1}, new int[] {1}, null, 1);
            }
        } else {
            try (var s = g.absoluteScope("stem.conv")) {
                y = g.conv(x, g.weight("weight", new long[] {4, 3, 3, 3}, w), null, new int[] {1, 1}, new int[] {1}, null, 1);
                y = g.batchNorm(y, g.weight("g", c, gamma), g.weight("b", c, beta), g.weight("m", c, mean),
                        g.weight("v", c, var), 1e-5f);
            }
        }
        y = g.relu(y);
        y = g.flatten(g.globalAveragePool(y));
        y = Layers.linear(ctx, y, "head.fc", 5, true, null);
        g.output(y, "logits");
        g.graph().dynamicBatch = true;
        g.graph().metadata.put("vitrt.model", "toy");
        return g.graph();
    }

    private static BnAffine affine(float[] gamma, float[] beta, float[] mean, float[] var, double eps) {
        float[] s = new float[gamma.length];
        float[] t = new float[gamma.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (gamma[i] / Math.sqrt(var[i] + eps));
            t[i] = beta[i] - mean[i] * s[i];
        }
        return new BnAffine(s, t);
    }

    private static float[] run(Graph g, int batch, float[] input) throws Exception {
        try (OrtSession s = ENV.createSession(OnnxWriter.toBytes(g), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(input), new long[] {batch, 3, 8, 8});
             OrtSession.Result r = s.run(Map.of("input", t))) {
            return ((OnnxTensor) r.get(0)).getFloatBuffer().array();
        }
    }

    @Test
    void foldedBatchNormMatchesExplicitAtAnyBatch() throws Exception {
        for (int opset : new int[] {13, 17}) {
            for (int batch : new int[] {1, 3}) {
                float[] in = new float[batch * 3 * 64];
                Random r = new Random(batch);
                for (int i = 0; i < in.length; i++) {
                    in[i] = (float) r.nextGaussian();
                }
                float[] a = run(toy(true, opset), batch, in);
                float[] b = run(toy(false, opset), batch, in);
                assertEquals(batch * 5, a.length);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(b[i], a[i], 1e-5, "opset " + opset + " batch " + batch + " logit " + i);
                }
            }
        }
    }

    @Test
    void metadataAndIrVersionAreWritten() throws Exception {
        var proto = OnnxWriter.toProto(toy(true, 17));
        assertEquals(8, proto.getIrVersion());
        assertEquals("batch", proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        try (OrtSession s = ENV.createSession(proto.toByteArray(), new OrtSession.SessionOptions())) {
            assertEquals("toy", s.getMetadata().getCustomMetadata().get("vitrt.model"));
        }
    }

    @Test
    void irVersionIsThatOfTheOnnxReleaseOfTheOpset() {
        // onnx/onnx docs/Versioning.md: the release that introduced each opset and the IR version it wrote
        long[][] table = {{13, 7}, {14, 7}, {15, 8}, {16, 8}, {17, 8}, {18, 8}, {19, 9}, {20, 9}, {21, 10}, {22, 10}};
        for (long[] row : table) {
            assertEquals(row[1], OnnxWriter.irVersionFor((int) row[0]), "opset " + row[0]);
        }
    }
}
