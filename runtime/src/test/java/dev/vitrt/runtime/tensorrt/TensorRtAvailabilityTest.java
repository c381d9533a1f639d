package dev.vitrt.runtime.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
            assertTrue(s.reason().contains("missing") || s.reason().contains("no CUDA device")
                    || s.reason().contains("needs TensorRT 10"), s.reason());
            if (s.reason().contains("missing")) {
                assertTrue(s.reason().contains("-Ptensorrt"), "says how to get the natives: " + s.reason());
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
    void withoutNativesNothingIsClaimed() {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        if (!s.available() && s.reason().contains("libnvinfer")) {
            assertFalse(s.reason().contains("TensorRT 10.15 on"));
            assertEquals(null, s.tensorRtVersion());
        }
    }
}
