package dev.vitrt.engine.trt;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.BatchRange;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.tensorrt.PlanManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPU half of an engine build: precision applied, profile shapes, errors before TensorRT is touched. */
class PreparedGraphTest {
    static BuildOptions opts(Precision p, String batch, Integer size) {
        return new BuildOptions(p, BatchRange.parse(batch), size, 1024, 3, null, "none", false);
    }

    @Test
    void batchRangeGoesOnDynamicDimZeroAndInputSizeOnDynamicSpatialDims() {
        TensorSpec in = new TensorSpec("input", ElementType.FLOAT32, new long[] {-1, 3, -1, -1});
        long[][] s = PreparedGraph.shapes(Path.of("m.onnx"), in, opts(Precision.FP32, "1:8:32", 256));
        assertArrayEquals(new long[] {1, 3, 256, 256}, s[0]);
        assertArrayEquals(new long[] {8, 3, 256, 256}, s[1]);
        assertArrayEquals(new long[] {32, 3, 256, 256}, s[2]);
    }

    @Test
    void heightAndWidthRangesGoOnDynamicSpatialDims() {
        TensorSpec in = new TensorSpec("input", ElementType.FLOAT32, new long[] {-1, 3, -1, -1});
        BuildOptions o = new BuildOptions(Precision.FP16, BatchRange.parse("1:2:4"), null, 1024, 3, null, "none", false,
                SizeRange.parse("512x512:800x1344:1024x2048"));
        long[][] s = PreparedGraph.shapes(Path.of("m.onnx"), in, o);
        assertArrayEquals(new long[] {1, 3, 512, 512}, s[0]);
        assertArrayEquals(new long[] {2, 3, 800, 1344}, s[1]);
        assertArrayEquals(new long[] {4, 3, 1024, 2048}, s[2]);
        assertEquals(null, o.inputSize(), "no square size to export or calibrate at");
        assertEquals(640, new BuildOptions(Precision.FP16, BatchRange.parse("1"), null, 1024, 3, null, "none", false,
                SizeRange.parse("512:640:768")).inputSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SizeRange.parse("512x512:400x800:1024x1024"));
        assertTrue(e.getMessage().contains("MIN <= OPT <= MAX"), e.getMessage());
        // a fixed-size graph takes its own size only
        TensorSpec fixed = new TensorSpec("input", ElementType.FLOAT32, new long[] {-1, 3, 512, 640});
        assertArrayEquals(new long[] {2, 3, 512, 640}, PreparedGraph.shapes(Path.of("m.onnx"), fixed,
                new BuildOptions(Precision.FP16, BatchRange.parse("2"), null, 1024, 3, null, "none", false,
                        SizeRange.parse("512x640")))[1]);
        e = assertThrows(IllegalArgumentException.class, () -> PreparedGraph.shapes(Path.of("m.onnx"), fixed, o));
        assertTrue(e.getMessage().contains("fixed at 512x640") && e.getMessage().contains("with a dynamic size"),
                e.getMessage());
    }

    @Test
    void aBackbonesProfileSizesAreMultiplesOfItsStride() {
        GraphInfo info = new GraphInfo("b", java.util.List.of(), java.util.List.of(), java.util.Map.of("vitrt.features",
                "[{\"name\":\"features.0\",\"stride\":4},{\"name\":\"features.1\",\"stride\":32}]"), false);
        PreparedGraph.checkStrides(Path.of("b.onnx"), info, java.util.Map.of("input",
                new long[][] {{1, 3, 512, 512}, {1, 3, 800, 1344}, {1, 3, 1024, 2048}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreparedGraph.checkStrides(
                Path.of("b.onnx"), info, java.util.Map.of("input", new long[][] {{1, 3, 512, 512}, {1, 3, 800, 1333},
                        {1, 3, 1024, 2048}})));
        assertTrue(e.getMessage().contains("800x1333 is not a multiple of 32"), e.getMessage());
    }

    @Test
    void inconsistentShapesAreClearErrors() {
        TensorSpec fixedBatch = new TensorSpec("input", ElementType.FLOAT32, new long[] {1, 3, 224, 224});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreparedGraph.shapes(Path.of("m.onnx"), fixedBatch, opts(Precision.FP32, "1:8:32", null)));
        assertTrue(e.getMessage().contains("fixed batch of 1, so the batch range must be 1"), e.getMessage());
        TensorSpec dynHw = new TensorSpec("input", ElementType.FLOAT32, new long[] {-1, 3, -1, -1});
        e = assertThrows(IllegalArgumentException.class,
                () -> PreparedGraph.shapes(Path.of("m.onnx"), dynHw, opts(Precision.FP32, "1", null)));
        assertTrue(e.getMessage().contains("give the input sizes (N, HxW or MIN:OPT:MAX)"), e.getMessage());
        TensorSpec fixed = new TensorSpec("input", ElementType.FLOAT32, new long[] {-1, 3, 224, 224});
        e = assertThrows(IllegalArgumentException.class,
                () -> PreparedGraph.shapes(Path.of("m.onnx"), fixed, opts(Precision.FP32, "1", 256)));
        assertTrue(e.getMessage().contains("fixed at 224"), e.getMessage());
    }

    @Test
    void fp16IsLoweredInt8NeedsQdq(@TempDir Path dir) throws IOException {
        Path onnx = dir.resolve("tiny.onnx");
        Files.write(onnx, dev.vitrt.engine.precision.TinyGraphs.mlp().toByteArray());
        PreparedGraph fp16 = PreparedGraph.prepare(onnx, opts(Precision.FP16, "1:2:4", null));
        assertEquals(1, fp16.notes().size());
        assertTrue(fp16.info().metadata().get("vitrt.precision").equals("fp16"));
        assertEquals(ElementType.FLOAT32, fp16.info().inputs().get(0).elementType(), "inputs stay float32");
        assertEquals(64, fp16.sha256().length());
        PreparedGraph fp32 = PreparedGraph.prepare(onnx, opts(Precision.FP32, "1:2:4", null));
        assertTrue(!fp32.sha256().equals(fp16.sha256()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreparedGraph.prepare(onnx, opts(Precision.INT8, "1", null)));
        assertTrue(e.getMessage().contains("vitrt calibrate"), e.getMessage());
        Files.writeString(dir.resolve("bad.onnx"), "not a model");
        IOException io = assertThrows(IOException.class,
                () -> PreparedGraph.prepare(dir.resolve("bad.onnx"), opts(Precision.FP32, "1", null)));
        assertTrue(io.getMessage().contains("not an ONNX model"), io.getMessage());
    }

    @Test
    void parserErrorsNameTheirNode() {
        assertEquals("node 'stages.0.blocks.0.mlp/Conv' (Conv): unsupported kernel shape",
                EngineBuilder.parserError("stages.0.blocks.0.mlp/Conv", "Conv", 12, "unsupported kernel\n shape"));
        assertEquals("node #3: bad", EngineBuilder.parserError("", "", 3, "bad"));
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new BuildOptions(Precision.FP32, new BatchRange(1, 1, 1),
                null, 0, 3, null, "none", false));
        assertThrows(IllegalArgumentException.class, () -> new BuildOptions(Precision.FP32, new BatchRange(1, 1, 1),
                null, 64, 6, null, "none", false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BuildOptions(
                Precision.FP32, new BatchRange(1, 1, 1), null, 64, 3, null, "turing", false));
        assertTrue(e.getMessage().contains("ampere+"), e.getMessage());
        assertEquals(Precision.FP16, Precision.parse("FP16"));
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp8"));
    }
}
