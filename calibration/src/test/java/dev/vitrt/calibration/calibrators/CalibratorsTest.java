package dev.vitrt.calibration.calibrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.calibration.stats.AbsHistogram;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each calibrator on distributions whose right answer is known. */
class CalibratorsTest {
    private static final int N = 1_000_000;

    /** Standard normal values in batches of 100k, plus {@code outliers} values at ±{@code at}. */
    private static AbsHistogram gaussian(long seed, int outliers, float at) {
        Random rnd = new Random(seed);
        AbsHistogram h = new AbsHistogram();
        float[] batch = new float[100_000];
        for (int b = 0; b < N / batch.length; b++) {
            for (int i = 0; i < batch.length; i++) {
                batch[i] = (float) rnd.nextGaussian();
            }
            if (b == N / batch.length - 1) {
                for (int i = 0; i < outliers; i++) {
                    batch[i] = i % 2 == 0 ? at : -at; // outliers arrive last: the range must regrow
                }
            }
            h.add(batch);
        }
        return h;
    }

    private static AbsHistogram uniform(long seed) {
        Random rnd = new Random(seed);
        AbsHistogram h = new AbsHistogram();
        float[] batch = new float[N];
        for (int i = 0; i < N; i++) {
            batch[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        h.add(batch);
        return h;
    }

    @Test
    void maxIsTheExactLargestMagnitude() {
        AbsHistogram h = gaussian(3, 4, 37.25f);
        assertEquals(37.25, new MaxCalibrator().threshold(h));
        assertEquals(37.25f / 127, new MaxCalibrator().scale(h), 1e-9);
    }

    @Test
    void percentileOfUniformMagnitudes() {
        AbsHistogram h = uniform(5);
        assertEquals(0.9, new PercentileCalibrator(90).threshold(h), 0.002);
        assertEquals(0.5, new PercentileCalibrator(50).threshold(h), 0.002);
        assertEquals(0.9999, new PercentileCalibrator().threshold(h), 0.001);
        assertEquals(h.absMax(), new PercentileCalibrator(100).threshold(h));
        assertThrows(IllegalArgumentException.class, () -> new PercentileCalibrator(0));
    }

    @Test
    void percentileIgnoresRareOutliers() {
        AbsHistogram h = gaussian(7, 10, 50f);
        double t = new PercentileCalibrator(99.9).threshold(h);
        // |N(0,1)| has its 99.9th percentile at 3.29
        assertEquals(3.29, t, 0.1);
    }

    @Test
    void entropyClipsGaussianOutliersAtAFewSigma() {
        AbsHistogram h = gaussian(11, 10, 50f);
        double t = new EntropyCalibrator().threshold(h);
        assertTrue(t > 2.5 && t < 8, "entropy threshold " + t + " should be a few sigma");
        assertTrue(t < 50 / 4.0, "entropy threshold " + t + " should be well below the outliers at 50");
    }

    @Test
    void entropyKeepsTheWholeRangeOfANarrowHistogram() {
        AbsHistogram h = new AbsHistogram();
        h.add(new float[] {1f, 0.5f, -0.25f}); // all mass within the first 128 bins? no: range = 1, so 2048 bins used
        AbsHistogram small = new AbsHistogram(128);
        small.add(new float[] {1f, 0.5f, -0.25f});
        assertEquals(1.0, new EntropyCalibrator().threshold(small));
    }

    @Test
    void entropyOnUniformKeepsNearlyEverything() {
        double t = new EntropyCalibrator().threshold(uniform(13));
        assertTrue(t > 0.9 && t <= 1.0, "uniform threshold " + t);
    }

    @Test
    void mseOnGaussianLandsNearTheKnownOptimum() {
        // the MSE-optimal 8-bit clipping of a standard normal lies near 4 sigma
        double t = new MseCalibrator().threshold(gaussian(17, 0, 0f));
        assertTrue(t > 3.0 && t < 5.0, "mse threshold " + t);
    }

    @Test
    void mseOnUniformClipsAlmostNothing() {
        double t = new MseCalibrator().threshold(uniform(19));
        assertTrue(t > 0.97 && t <= 1.0, "mse threshold " + t);
    }

    @Test
    void allZeroTensorGetsAUsableScale() {
        AbsHistogram h = new AbsHistogram();
        h.add(new float[] {0f, 0f, 0f});
        for (CalibrationMethod m : CalibrationMethod.values()) {
            float s = m.calibrator(99.99).scale(h);
            assertEquals(1f / 127, s, 1e-9, m.id());
        }
    }

    @Test
    void methodsParseByName() {
        assertEquals(CalibrationMethod.ENTROPY, CalibrationMethod.parse("Entropy"));
        assertEquals("mse", CalibrationMethod.MSE.id());
        assertThrows(IllegalArgumentException.class, () -> CalibrationMethod.parse("kl"));
    }
}
