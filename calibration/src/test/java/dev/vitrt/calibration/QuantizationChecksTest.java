package dev.vitrt.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.calibration.cache.CalibrationCache;
import dev.vitrt.calibration.data.HeldOutData;
import dev.vitrt.calibration.data.SyntheticData;
import dev.vitrt.calibration.qdq.QdqInserter;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.calibration.qdq.QdqPlan;
import dev.vitrt.calibration.qdq.QdqPlanner;
import dev.vitrt.calibration.qdq.QdqTarget;
import dev.vitrt.calibration.qdq.NodeFilter;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What calibration refuses to trust: foreign cache scales, a quantized graph, NaN outputs, missing held-out data. */
class QuantizationChecksTest {
    private static final QdqOptions ORT = new QdqOptions(QdqTarget.ORT, new NodeFilter(List.of()));

    @Test
    void cachedScalesFarFromTheMeasuredRangesAreRefusedByName() {
        Map<String, Float> scales = Map.of("a", 0.01f, "b", 1e30f, "dead", 1e30f);
        CalibrationCache c = new CalibrationCache("mse", "sha256:x", "synthetic", 8, scales);
        Map<String, Double> measured = new HashMap<>(Map.of("a", 1.0, "b", 2.0, "dead", 0.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.checkRanges(measured, Path.of("c.json")));
        assertTrue(e.getMessage().startsWith("calibration cache c.json: the scale of 'b' (1.00e+30"), e.getMessage());
        measured.put("b", 1.0);
        measured.put("a", 1e4); // range 1.27 against 1e4: far too narrow
        e = assertThrows(IllegalArgumentException.class, () -> c.checkRanges(measured, Path.of("c.json")));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
        // percentile-style clipping (range a tenth of the max) and an all-zero tensor pass
        new CalibrationCache("mse", "x", "y", 8, Map.of("a", 0.01f, "dead", 5f)).checkRanges(Map.of("a", 12.7,
                "dead", 0.0), Path.of("c.json"));
    }

    @Test
    void aQuantizedGraphIsNotQuantizedAgain() {
        ModelProto fp32 = TinyModel.convResidual();
        QdqPlan plan = QdqPlanner.plan(fp32, ORT);
        Map<String, Float> scales = new HashMap<>();
        plan.activationTensors().forEach(t -> scales.put(t, 0.05f));
        ModelProto int8 = QdqInserter.insert(fp32, plan, scales);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QdqPlanner.plan(int8, ORT));
        assertTrue(e.getMessage().startsWith("the model is quantized already ("), e.getMessage());
    }

    @Test
    void nonFiniteInt8OutputsFailTheCheck() throws Exception {
        SyntheticData data = new SyntheticData(1, 3, new long[] {3, 4, 4});
        Backend fp32 = new Fixed(new float[] {1, 2, 3});
        QuantizationReport ok = QuantizationReport.compare(fp32, new Fixed(new float[] {1, 2, 3.1f}), data, 3);
        ok.requireFinite();
        QuantizationReport nan = QuantizationReport.compare(fp32, new Fixed(new float[] {1, Float.NaN, 3}), data, 3);
        assertEquals(3, nan.nonFiniteSamples());
        IllegalStateException e = assertThrows(IllegalStateException.class, nan::requireFinite);
        assertTrue(e.getMessage().startsWith("the INT8 model outputs NaN or infinite values on 3 of 3 held-out"),
                e.getMessage());
        // NaN in both: the FP32 model's own problem, not the quantization's
        QuantizationReport.compare(new Fixed(new float[] {Float.NaN}), new Fixed(new float[] {Float.NaN}), data, 3)
                .requireFinite();
    }

    @Test
    void heldOutSamplesSayWhenTheDataRunsOut() {
        long[] shape = {3, 4, 4};
        SyntheticData ten = new SyntheticData(1, 10, shape);
        HeldOutData all = HeldOutData.after(ten, 4, 6, shape, 2);
        assertEquals(6, all.size());
        assertNull(all.note());
        HeldOutData fewer = HeldOutData.after(ten, 8, 6, shape, 2);
        assertEquals(2, fewer.size());
        assertTrue(fewer.note().startsWith("the data holds only 2 samples beyond the 8 calibration ones"));
        HeldOutData none = HeldOutData.after(ten, 10, 6, shape, 2);
        assertEquals(6, none.size());
        assertTrue(none.note().contains("runs on 6 synthetic samples"), none.note());
    }

    /** A backend answering every run with the same logits. */
    private record Fixed(float[] logits) implements Backend {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public String device() {
            return "cpu";
        }

        @Override
        public Path modelPath() {
            return Path.of("fixed.onnx");
        }

        @Override
        public List<TensorSpec> inputs() {
            return List.of(new TensorSpec("input", ElementType.FLOAT32, new long[] {-1, 3, 4, 4}, new String[4]));
        }

        @Override
        public List<TensorSpec> outputs() {
            return List.of(new TensorSpec("logits", ElementType.FLOAT32, new long[] {-1, logits.length}, new String[2]));
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of();
        }

        @Override
        public Map<String, FloatTensor> run(Map<String, FloatTensor> in) {
            return Map.of("logits", new FloatTensor(new long[] {1, logits.length}, logits.clone()));
        }

        @Override
        public void close() {
        }
    }
}
