package dev.vitrt.calibration.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.vitrt.calibration.TinyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationCacheTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryScaleAndFingerprint() throws IOException {
        Map<String, Float> scales = new LinkedHashMap<>();
        scales.put("input", 0.031f);
        scales.put("stages.0.blocks.0.mlp.act/Relu_output_0", 1.25e-3f);
        scales.put("r1", 7.0f / 127);
        String model = ModelFingerprint.of(TinyModel.convResidual());
        CalibrationCache c = new CalibrationCache("entropy", model, "synthetic:seed=0;samples=8", 8, scales);
        Path f = dir.resolve("calib.json");
        c.write(f);
        CalibrationCache back = CalibrationCache.read(f);
        assertEquals(c, back);
        assertEquals(scales.keySet().stream().toList(), back.scales().keySet().stream().toList());
        back.requireModel(model, f);
    }

    @Test
    void cacheFromAnotherModelIsAClearError() throws IOException {
        OnnxMl.ModelProto a = TinyModel.convResidual();
        OnnxMl.ModelProto b = new TinyModel().input("input", 1, 8).weight("w", 8, 4)
                .node("MatMul", "fc/MatMul", TinyModel.of("input", "w"), TinyModel.of("logits"))
                .output("logits", 1, 4).build();
        Path f = dir.resolve("calib.json");
        new CalibrationCache("max", ModelFingerprint.of(a), "d", 1, Map.of("input", 0.5f)).write(f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationCache.read(f).requireModel(ModelFingerprint.of(b), f));
        assertTrue(e.getMessage().contains("another model") && e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void fingerprintSeesWeightsAndIgnoresNothingStructural() {
        OnnxMl.ModelProto a = TinyModel.convResidual();
        assertEquals(ModelFingerprint.of(a), ModelFingerprint.of(TinyModel.convResidual()));
        OnnxMl.ModelProto renamed = a.toBuilder().setGraph(a.getGraph().toBuilder()
                .setNode(1, a.getGraph().getNode(1).toBuilder().setName("b0.act2/Relu"))).build();
        assertNotEquals(ModelFingerprint.of(a), ModelFingerprint.of(renamed));
        OnnxMl.TensorProto w = a.getGraph().getInitializer(2);
        OnnxMl.ModelProto reweighted = a.toBuilder().setGraph(a.getGraph().toBuilder().setInitializer(2,
                w.toBuilder().setRawData(com.google.protobuf.ByteString.copyFrom(new byte[w.getRawData().size()]))))
                .build();
        assertNotEquals(ModelFingerprint.of(a), ModelFingerprint.of(reweighted));
    }

    @Test
    void malformedCachesNameTheFile() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"format\": \"something-else\"}");
        IOException e = assertThrows(IOException.class, () -> CalibrationCache.read(f));
        assertTrue(e.getMessage().contains(f.toString()));
        Files.writeString(f, "{\"format\": \"" + CalibrationCache.FORMAT + "\", \"scales\": {\"x\": -1}}");
        e = assertThrows(IOException.class, () -> CalibrationCache.read(f));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        Files.writeString(f, "{not json");
        assertThrows(IOException.class, () -> CalibrationCache.read(f));
    }
}
