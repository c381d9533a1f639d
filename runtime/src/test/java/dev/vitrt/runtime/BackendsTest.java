package dev.vitrt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackendsTest {
    static Optional<TensorRtSupport> trt(boolean available) {
        return Optional.of(new TensorRtSupport() {
            @Override
            public Availability availability() {
                return availability(null);
            }

            @Override
            public Availability availability(Path model) {
                return available ? Availability.yes("TensorRT 11.2 on GPU 0") : Availability.no("no CUDA device");
            }

            @Override
            public Backend open(Path model, BackendOptions options) {
                throw new UnsupportedOperationException();
            }
        });
    }

    @Test
    void parsesBackendNames() {
        assertEquals(BackendKind.AUTO, BackendKind.parse("auto"));
        assertEquals(BackendKind.ONNXRUNTIME, BackendKind.parse("OnnxRuntime"));
        assertEquals(BackendKind.TENSORRT, BackendKind.parse("trt"));
        assertEquals("unknown backend 'cuda' (expected auto, onnxruntime or tensorrt)",
                assertThrows(IllegalArgumentException.class, () -> BackendKind.parse("cuda")).getMessage());
    }

    @Test
    void autoPrefersTensorRtWhenItCanRun() throws Exception {
        Path m = Path.of("m.onnx");
        assertEquals(new Backends.Choice(BackendKind.TENSORRT, "auto: TensorRT 11.2 on GPU 0"),
                Backends.choose(BackendKind.AUTO, m, trt(true)));
        assertEquals(new Backends.Choice(BackendKind.ONNXRUNTIME, "auto: TensorRT unavailable (no CUDA device)"),
                Backends.choose(BackendKind.AUTO, m, trt(false)));
        assertEquals(BackendKind.ONNXRUNTIME, Backends.choose(BackendKind.AUTO, m, Optional.empty()).kind());
    }

    @Test
    void explicitChoicesFailWithTheReason() throws Exception {
        assertEquals("TensorRT backend unavailable: no CUDA device", assertThrows(BackendException.class,
                () -> Backends.choose(BackendKind.TENSORRT, Path.of("m.onnx"), trt(false))).getMessage());
        assertEquals(BackendKind.ONNXRUNTIME,
                Backends.choose(BackendKind.ONNXRUNTIME, Path.of("m.onnx"), trt(true)).kind());
        assertEquals("m.plan: ONNX Runtime runs .onnx files; a TensorRT plan runs on the tensorrt backend", assertThrows(BackendException.class,
                () -> Backends.choose(BackendKind.ONNXRUNTIME, Path.of("m.plan"), trt(true))).getMessage());
    }

    @Test
    void oneChoiceForATableOfGraphs() throws Exception {
        assertEquals(new Backends.Choice(BackendKind.TENSORRT, "auto: TensorRT 11.2 on GPU 0"),
                Backends.choose(BackendKind.AUTO, null, trt(true)));
        assertEquals(new Backends.Choice(BackendKind.ONNXRUNTIME, "requested"),
                Backends.choose(BackendKind.ONNXRUNTIME, null, trt(true)));
        assertEquals("auto: TensorRT unavailable (" + Backends.NO_MODULE + ")",
                Backends.choose(BackendKind.AUTO, null, Optional.empty()).reason());
        assertEquals("TensorRT backend unavailable: no CUDA device", assertThrows(BackendException.class,
                () -> Backends.choose(BackendKind.TENSORRT, null, trt(false))).getMessage());
    }

    @Test
    void aPlanNeedsTensorRt() {
        assertEquals("m.plan runs on TensorRT only, and TensorRT is unavailable: no CUDA device",
                assertThrows(BackendException.class,
                        () -> Backends.choose(BackendKind.AUTO, Path.of("m.plan"), trt(false))).getMessage());
    }
}
