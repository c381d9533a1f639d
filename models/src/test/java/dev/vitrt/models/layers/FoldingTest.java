package dev.vitrt.models.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Folding must equal applying the BatchNorm explicitly, computed here in double precision. */
class FoldingTest {
    private final Random rnd = new Random(3);

    private float[] rand(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private BnAffine bn(int c) {
        float[] s = rand(c);
        float[] t = rand(c);
        return new BnAffine(s, t);
    }

    @Test
    void foldAfterEqualsLinearThenAffine() {
        int out = 5;
        int in = 7;
        float[] w = rand(out * in);
        float[] b = rand(out);
        float[] x = rand(in);
        BnAffine a = bn(out);
        float[][] f = Folding.foldAfter(w, b, out, a);
        for (int o = 0; o < out; o++) {
            double ref = b[o];
            double got = f[1][o];
            for (int i = 0; i < in; i++) {
                ref += (double) w[o * in + i] * x[i];
                got += (double) f[0][o * in + i] * x[i];
            }
            ref = a.scale()[o] * ref + a.shift()[o];
            assertEquals(ref, got, 1e-5);
        }
    }

    @Test
    void foldBeforeEqualsAffineThenLinear() {
        int out = 4;
        int in = 6;
        float[] w = rand(out * in);
        float[] x = rand(in);
        BnAffine a = bn(in);
        float[][] f = Folding.foldBefore(w, null, out, in, a);
        for (int o = 0; o < out; o++) {
            double ref = 0;
            double got = f[1][o];
            for (int i = 0; i < in; i++) {
                ref += (double) w[o * in + i] * (a.scale()[i] * x[i] + a.shift()[i]);
                got += (double) f[0][o * in + i] * x[i];
            }
            assertEquals(ref, got, 1e-5);
        }
    }

    @Test
    void composedAffinesApplyInOrder() {
        BnAffine first = bn(3);
        BnAffine second = bn(3);
        BnAffine both = first.then(second);
        for (int c = 0; c < 3; c++) {
            double x = 0.7;
            double ref = second.scale()[c] * (first.scale()[c] * x + first.shift()[c]) + second.shift()[c];
            assertEquals(ref, both.scale()[c] * x + both.shift()[c], 1e-6);
        }
    }

    @Test
    void transposeSwapsRowsAndColumns() {
        float[] m = {1, 2, 3, 4, 5, 6}; // 2x3
        float[] t = Layers.transpose(m, 2, 3);
        assertEquals(4f, t[1]);
        assertEquals(3f, t[4]);
    }
}
