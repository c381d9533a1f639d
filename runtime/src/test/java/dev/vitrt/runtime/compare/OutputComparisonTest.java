package dev.vitrt.runtime.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.compare.OutputComparison.Tolerance;
import org.junit.jupiter.api.Test;

/** Tolerances as numpy.isclose(actual, reference, rtol, atol) has them; statistics worked out by hand. */
class OutputComparisonTest {
    private static FloatTensor t(long[] shape, float... v) {
        return new FloatTensor(shape, v);
    }

    @Test
    void statisticsAndWorstElement() {
        FloatTensor ref = t(new long[] {2, 3}, 1, 2, 4, -1, 0.5f, 8);
        FloatTensor out = t(new long[] {2, 3}, 1, 2.5f, 4, -1, 0.5f, 10);
        OutputComparison c = OutputComparison.of(ref, out, new Tolerance(0.1, 0.1));
        assertEquals(2.0, c.maxAbsDiff(), 1e-12);
        assertEquals(2.5 / 6, c.meanAbsDiff(), 1e-12);
        assertEquals(0.0, c.medianAbsDiff(), 1e-12, "diffs 0,0,0,0,0.5,2: median 0");
        assertEquals(0.25, c.maxRelDiff(), 1e-12, "0.5/2 and 2/8 are both 0.25");
        assertEquals(0.5 / 6, c.meanRelDiff(), 1e-12);
        assertEquals(2.0 / 8, c.relativeError(), 1e-12, "max|a-b| / max|reference|");
        // bounds: 0.1 + 0.1*2 = 0.3 (diff 0.5 fails by 0.2); 0.1 + 0.1*8 = 0.9 (diff 2 fails by 1.1: the worst)
        assertEquals(2, c.beyondTolerance());
        assertFalse(c.passed());
        assertArrayEquals(new long[] {1, 2}, c.worst().index());
        assertEquals("(1, 2)", c.worst().indexString());
        assertEquals(10f, c.worst().actual());
        assertEquals(8f, c.worst().reference());
        assertEquals(1.0, c.top1Agreement(), 1e-12, "both rows keep their argmax");
        assertEquals(2, c.rows());
    }

    @Test
    void toleranceIsRelativeToTheReference() {
        // |10 - 9| = 1 <= 0 + 0.1 * 10 against reference 10, but not against reference 9 (0.9)
        assertTrue(OutputComparison.of(t(new long[] {1}, 10), t(new long[] {1}, 9), new Tolerance(0, 0.1)).passed());
        assertFalse(OutputComparison.of(t(new long[] {1}, 9), t(new long[] {1}, 10), new Tolerance(0, 0.1)).passed());
        assertTrue(OutputComparison.of(t(new long[] {1}, 9), t(new long[] {1}, 10), new Tolerance(1, 0)).passed(),
                "the bound is inclusive, as numpy's <=");
    }

    @Test
    void identicalOutputsPassExactly() {
        FloatTensor a = t(new long[] {1, 4}, 0.1f, -3, 7, 0);
        OutputComparison c = OutputComparison.of(a, t(new long[] {1, 4}, 0.1f, -3, 7, 0));
        assertTrue(c.passed());
        assertEquals(0, c.maxAbsDiff());
        assertEquals(0, c.maxRelDiff(), "0/0 counts as no error");
        assertEquals(1.0, c.cosine(), 1e-12);
        assertEquals(1.0, c.top1Agreement());
        assertEquals(Tolerance.EXACT, c.tolerance());
    }

    @Test
    void top1AgreementCountsRows() {
        OutputComparison c = OutputComparison.of(t(new long[] {2, 2}, 1, 0, 0, 1), t(new long[] {2, 2}, 1, 0, 1, 0));
        assertEquals(0.5, c.top1Agreement());
        assertTrue(Double.isNaN(OutputComparison.of(t(new long[] {2}, 1, 0), t(new long[] {2}, 1, 0)).top1Agreement()),
                "only [N, C] outputs have rows");
    }

    @Test
    void nanNeverPassesAndIsTheWorst() {
        OutputComparison c = OutputComparison.of(t(new long[] {3}, 1, 2, 3), t(new long[] {3}, 5, Float.NaN, 3),
                new Tolerance(100, 0));
        assertEquals(1, c.beyondTolerance());
        assertArrayEquals(new long[] {1}, c.worst().index());
        assertTrue(Double.isNaN(c.maxAbsDiff()));
    }

    @Test
    void zeroReferenceGivesInfiniteRelativeError() {
        OutputComparison c = OutputComparison.of(t(new long[] {2}, 0, 1), t(new long[] {2}, 1e-3f, 1),
                new Tolerance(1e-2, 0));
        assertTrue(c.passed(), "atol covers a zero reference");
        assertEquals(Double.POSITIVE_INFINITY, c.maxRelDiff());
    }

    @Test
    void describeNamesTheOutputAndWhere() {
        OutputComparison c = OutputComparison.of(t(new long[] {1, 3}, 1, 2, 3), t(new long[] {1, 3}, 1, 2, 3.5f));
        String d = c.describe("logits", new long[] {1, 3}, "A", "B");
        assertTrue(d.startsWith("output 'logits' [dtype=float32, shape=(1, 3)]: FAILED (atol 0, rtol 0)"), d);
        assertTrue(d.contains("1 of 3 elements (33.33%) outside |A-B| <= atol + rtol*|B|;"
                + " worst at (0, 2): A 3.5, B 3.0"),
                d);
        String ok = OutputComparison.of(t(new long[] {2}, 1, 2), t(new long[] {2}, 1, 2)).describe("y",
                new long[] {2}, "A", "B");
        assertTrue(ok.startsWith("output 'y' [dtype=float32, shape=(2,)]: PASSED") && !ok.contains("worst"), ok);
    }

    @Test
    void refusesDifferentShapesAndBadTolerances() {
        assertThrows(IllegalArgumentException.class,
                () -> OutputComparison.of(t(new long[] {2}, 1, 2), t(new long[] {1, 2}, 1, 2)));
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(Double.POSITIVE_INFINITY, 0));
    }
}
