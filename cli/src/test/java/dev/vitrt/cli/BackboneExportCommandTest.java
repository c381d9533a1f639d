package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --features} as a user runs it: non-square, dynamic sizes, and the constraints in one line. */
class BackboneExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void featuresAtANonSquareSizeAndDynamicSizes() throws Exception {
        Path out = dir.resolve("b.onnx");
        CliRun r = CliRun.of("export", "mobilevitv2_050", "--features", "--out-indices", "1,2,4", "--input-size",
                "96x128", "--dynamic-size", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("features.2 (final_conv, 256 ch, stride 32)"), r.err());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(out.toString(), new OrtSession.SessionOptions())) {
            assertEquals(List.of("features.0", "features.1", "features.2"), List.copyOf(s.getOutputNames()));
            long[] in = ((TensorInfo) s.getInputInfo().get("input").getInfo()).getShape();
            assertEquals(-1, in[2], "dynamic height");
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            assertTrue(meta.get("vitrt.features").contains("\"stride\":8"), meta.get("vitrt.features"));
            // any size at run time
            float[] x = new float[3 * 64 * 160];
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, 64, 160});
                 OrtSession.Result res = s.run(Map.of("input", t))) {
                long[] f0 = ((OnnxTensor) res.get(0)).getInfo().getShape();
                assertEquals(List.of(1L, 64L, 16L, 40L), List.of(f0[0], f0[1], f0[2], f0[3]));
            }
        }
    }

    @Test
    void aNonSquareBackboneProfilesAtItsOwnSize() throws Exception {
        Path out = dir.resolve("r.onnx");
        assertEquals(0, CliRun.of("export", "resnet50", "--features", "--input-size", "64x96", "-o", out.toString()).exit());
        CliRun p = CliRun.of("profile", out.toString(), "--backend", "onnxruntime", "--warmup", "1", "--iterations", "2");
        assertEquals(0, p.exit(), p.err());
        assertTrue(p.out().contains("batch 1, 64x96") && p.out().contains("Bottleneck"), p.out());
    }

    @Test
    void constraintsAreOneLineAndLeaveNothing() throws Exception {
        Path out = dir.resolve("x.onnx");
        CliRun index = CliRun.of("export", "nextvit_small", "--features", "--out-indices", "0,4", "-o", out.toString());
        assertEquals(1, index.exit());
        assertTrue(index.oneLineError() && index.err().contains("out index 4 is outside nextvit_small's feature levels 0-3"),
                index.err());
        CliRun stride = CliRun.of("export", "resnet50", "--features", "--input-size", "500x600", "-o", out.toString());
        assertEquals(1, stride.exit());
        assertTrue(stride.oneLineError() && stride.err().contains("not a multiple of 32"), stride.err());
        CliRun shape = CliRun.of("export", "resnet50", "--input-size", "500y600", "-o", out.toString());
        assertEquals(2, shape.exit());
        assertTrue(shape.err().contains("is not N or HxW"), shape.err());
        CliRun alone = CliRun.of("export", "resnet50", "--out-indices", "1", "-o", out.toString());
        assertEquals(2, alone.exit());
        assertTrue(alone.err().contains("--out-indices applies to --features"), alone.err());
        CliRun classes = CliRun.of("export", "resnet50", "--features", "--num-classes", "10", "-o", out.toString());
        assertEquals(2, classes.exit());
        assertTrue(classes.err().contains("--num-classes sizes a classifier"), classes.err());
        assertFalse(Files.exists(out));
    }
}
