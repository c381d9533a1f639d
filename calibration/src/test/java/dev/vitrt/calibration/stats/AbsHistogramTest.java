package dev.vitrt.calibration.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AbsHistogramTest {

    @Test
    void regrowingTheRangeRebinsExactly() {
        Random rnd = new Random(1);
        float[] a = new float[10_000];
        float[] b = new float[10_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
            b[i] = (float) (rnd.nextDouble() * 7 - 3.5);
        }
        a[0] = 1.0f;   // first batch sets the range to exactly 1
        b[0] = -3.5f;  // the second needs two doublings: range 4
        AbsHistogram h = new AbsHistogram(64);
        h.add(a);
        h.add(b);
        assertEquals(4.0, h.range());
        assertEquals(3.5, h.absMax());
        assertEquals(20_000, h.total());

        long[] expected = new long[64];
        for (float[] batch : new float[][] {a, b}) {
            for (float v : batch) {
                expected[Math.min(63, (int) Math.floor(Math.abs(v) * 64 / 4.0))]++;
            }
        }
        // bins are closed on the right at the top of a range: the first batch's maximum (1.0, the range then) sits
        // in that range's last bin, which the doublings merged into bin 15 of the final range
        expected[16]--;
        expected[15]++;
        assertArrayEquals(expected, h.counts());
    }

    @Test
    void countsZerosAndIgnoresNaN() {
        AbsHistogram h = new AbsHistogram(8);
        h.add(new float[] {0f, 0f, 2f, Float.NaN, -1f});
        assertEquals(4, h.total());
        assertEquals(2, h.zeros());
        assertEquals(2.0, h.absMax());
        assertEquals(8, h.usedBins());
        assertThrows(IllegalArgumentException.class, () -> h.add(new float[] {Float.POSITIVE_INFINITY}));
    }

    @Test
    void allZeroBatchesKeepAnEmptyRangeUntilSomethingArrives() {
        AbsHistogram h = new AbsHistogram(8);
        h.add(new float[] {0f, 0f});
        assertEquals(0.0, h.range());
        h.add(new float[] {0.5f});
        assertEquals(0.5, h.range());
        assertEquals(2, h.count(0));
        assertEquals(1, h.count(7));
    }

    @Test
    void mergeAddsCountsIntoTheWiderRange() {
        AbsHistogram x = new AbsHistogram(16);
        x.add(new float[] {1f, 0.1f});
        AbsHistogram y = new AbsHistogram(16);
        y.add(new float[] {2f, 0.1f});
        x.merge(y);
        assertEquals(4, x.total());
        assertEquals(2.0, x.range());
        assertEquals(2.0, x.absMax());
        assertEquals(2, x.count(0));
        assertEquals(1, x.count(15));
    }
}
