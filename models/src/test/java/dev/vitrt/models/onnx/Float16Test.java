package dev.vitrt.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {
    @Test
    void knownValues() {
        assertEquals((short) 0x3c00, Float16.fromFloat(1f));
        assertEquals((short) 0xc000, Float16.fromFloat(-2f));
        assertEquals((short) 0x7bff, Float16.fromFloat(65504f));
        assertEquals((short) 0x7c00, Float16.fromFloat(65520f)); // rounds to infinity
        assertEquals((short) 0x0001, Float16.fromFloat(0x1p-24f)); // smallest subnormal
        assertEquals((short) 0x0000, Float16.fromFloat(0x1p-26f));
        assertEquals((short) 0x3555, Float16.fromFloat(1f / 3));
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN))));
    }

    @Test
    void roundTripOfEveryHalfIsExact() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Float16.toFloat((short) h);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals((short) h, Float16.fromFloat(f), "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void roundsToNearestEven() {
        // 1 + 2^-11 is exactly between 1 and 1 + 2^-10: ties to even (1.0)
        assertEquals((short) 0x3c00, Float16.fromFloat(1f + 0x1p-11f));
        // 1 + 3*2^-11 is between 1+2^-10 (odd) and 1+2^-9 (even): ties to even
        assertEquals((short) 0x3c02, Float16.fromFloat(1f + 3 * 0x1p-11f));
        assertEquals(1f, Float16.bf16ToFloat((short) 0x3f80));
    }
}
