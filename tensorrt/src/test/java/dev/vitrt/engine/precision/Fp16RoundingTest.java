package dev.vitrt.engine.precision;

import dev.vitrt.models.onnx.Float16;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Fp16RoundingTest {
    @Test
    void everyHalfRoundTripsExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Float16.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f))));
                continue;
            }
            assertEquals(h, Float16.fromFloat(f) & 0xffff, "half bits 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void knownValues() {
        assertEquals(0x3c00, Float16.fromFloat(1f) & 0xffff);
        assertEquals(0xc000, Float16.fromFloat(-2f) & 0xffff);
        assertEquals(0x7bff, Float16.fromFloat(65504f) & 0xffff);
        assertEquals(0x7bff, Float16.fromFloat(65519.99f) & 0xffff, "below the overflow threshold rounds to max");
        assertEquals(0x7c00, Float16.fromFloat(65520f) & 0xffff, "65520 rounds (to even) to infinity");
        assertEquals(0xfc00, Float16.fromFloat(Float.NEGATIVE_INFINITY) & 0xffff);
        assertEquals(0x0001, Float16.fromFloat(0x1p-24f) & 0xffff, "smallest subnormal");
        assertEquals(0x0000, Float16.fromFloat(0x1p-25f) & 0xffff, "half of it ties to even zero");
        assertEquals(0x0001, Float16.fromFloat(0x1.000002p-25f) & 0xffff, "just above half rounds up");
        assertEquals(0x8000, Float16.fromFloat(-1e-30f) & 0xffff, "keeps the sign of zero");
        assertEquals(0x0400, Float16.fromFloat(0x1.ffcp-15f) & 0xffff, "largest subnormal + half ulp carries to normal");
        assertEquals(0x3c00, Float16.fromFloat(1f + 0x1p-11f) & 0xffff, "tie to even (down)");
        assertEquals(0x3c02, Float16.fromFloat(1f + 3 * 0x1p-11f) & 0xffff, "tie to even (up)");
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN))));
    }

    /** Compares with rounding done in double arithmetic over the half grid, for random floats of every scale. */
    @Test
    void matchesNearestEvenOnRandomFloats() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt(0x477ff000)) * (r.nextBoolean() ? 1 : -1); // |f| < 65520
            float got = Float16.round(f);
            double a = Math.abs((double) f);
            double ulp = a < 0x1p-14 ? 0x1p-24 : Math.ulp((float) 1) * Math.pow(2, Math.getExponent(a)) * 0x1p13;
            double q = a / ulp;
            double fl = Math.floor(q);
            double rounded = q - fl > 0.5 || (q - fl == 0.5 && ((long) fl & 1) == 1) ? fl + 1 : fl;
            double want = Math.copySign(rounded * ulp, f);
            assertEquals(want, got, 0, "f=" + f);
        }
    }
}
