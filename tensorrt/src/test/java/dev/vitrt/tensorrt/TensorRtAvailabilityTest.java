package dev.vitrt.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorRtAvailabilityTest {
    @Test
    void reasonIsOneLineAndNamesWhatIsMissingOrFound() {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        System.out.println("TensorRT availability: " + s);
        assertEquals(1, s.reason().lines().count(), s.reason());
        if (s.available()) {
            assertTrue(s.reason().contains(s.tensorRtVersion()) && s.reason().contains(s.gpuName()), s.reason());
        } else {
            assertTrue(s.reason().startsWith("TensorRT cannot run here: "), s.reason());
            if (s.missing() != null) {
                assertTrue(s.reason().contains(s.missing()), "names the library: " + s.reason());
                assertTrue(s.reason().contains("(loader: "), "carries the loader's own message: " + s.reason());
            }
            TensorRtUnavailableException e = assertThrows(TensorRtUnavailableException.class,
                    TensorRtAvailability::require);
            assertEquals(s.reason(), e.getMessage());
        }
    }

    @Test
    void checkedOnce() {
        assertSame(TensorRtAvailability.check(), TensorRtAvailability.check());
    }

    @Test
    void withoutTensorRtNoVersionIsClaimed() {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        if (s.missing() != null) {
            assertNull(s.tensorRtVersion());
        }
    }

    @Test
    void acceptsTheCompiledMinorOrNewerWithinTheMajor() {
        int compiled = 110201; // NV_TENSORRT_VERSION of 11.2.1
        assertNull(TensorRtAvailability.versionProblem(compiled, 11, 2));
        assertNull(TensorRtAvailability.versionProblem(compiled, 11, 5));
        assertEquals("TensorRT 11.1 found, but these presets need TensorRT 11.2 or newer",
                TensorRtAvailability.versionProblem(compiled, 11, 1));
        assertEquals("TensorRT 10.15 found, but these presets need TensorRT 11.x",
                TensorRtAvailability.versionProblem(compiled, 10, 15));
        assertEquals("TensorRT 12.0 found, but these presets need TensorRT 11.x",
                TensorRtAvailability.versionProblem(compiled, 12, 0));
    }
}
