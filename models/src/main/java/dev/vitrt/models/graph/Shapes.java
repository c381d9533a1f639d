package dev.vitrt.models.graph;

import java.util.Arrays;

/** Static shape arithmetic for the builder's operators. */
final class Shapes {
    private Shapes() {
    }

    /** Numpy-style broadcast of two shapes. */
    static long[] broadcast(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long da = i < n - a.length ? 1 : a[i - (n - a.length)];
            long db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes do not broadcast: " + Arrays.toString(a) + " and " + Arrays.toString(b));
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Output size of a convolution or pooling window along one axis. */
    static long window(long in, long kernel, long stride, long padBegin, long padEnd, long dilation, boolean ceil) {
        long effective = dilation * (kernel - 1) + 1;
        long span = in + padBegin + padEnd - effective;
        if (span < 0) {
            throw new IllegalArgumentException("window " + kernel + " larger than padded input " + (in + padBegin + padEnd));
        }
        long out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (out - 1) * stride >= in + padBegin) {
            out--; // the last window must start inside the input or left padding, as ONNX and PyTorch require
        }
        return out;
    }

    static long numel(long[] s) {
        long n = 1;
        for (long d : s) {
            n *= d;
        }
        return n;
    }

    /** Resolves a Reshape target with ONNX semantics (0 copies the input dim, one -1 is inferred). */
    static long[] reshape(long[] in, long[] target) {
        long[] out = target.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                out[i] = in[i];
            }
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape with two -1 dims: " + Arrays.toString(target));
                }
                infer = i;
            } else {
                known *= out[i];
            }
        }
        long total = numel(in);
        if (infer >= 0) {
            out[infer] = total / known;
        }
        if (numel(out) != total) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target));
        }
        return out;
    }

    static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }
}
