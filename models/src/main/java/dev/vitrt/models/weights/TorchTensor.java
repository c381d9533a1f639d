package dev.vitrt.models.weights;

import dev.vitrt.models.onnx.Float16;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor of a PyTorch checkpoint as its pickle describes it: a view ({@code offset}, {@code size}, {@code stride},
 * in elements) of a storage. Nothing is read until {@link #toFloats()}.
 */
record TorchTensor(TorchStorage storage, TorchDType dtype, long offset, long[] size, long[] stride) {

    long numel() {
        long n = 1;
        for (long d : size) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Checks that the view lies inside its storage; {@code key} names the tensor in the message. */
    void check(String key, String file) throws IOException {
        long capacity = storage.byteSize() / dtype.size;
        if (offset < 0 || size.length != stride.length) {
            throw new IOException(file + ": tensor '" + key + "' has a malformed view (offset " + offset + ", size "
                    + Arrays.toString(size) + ", stride " + Arrays.toString(stride) + ")");
        }
        long last = offset;
        try {
            if (numel() == 0) {
                return;
            }
            for (int i = 0; i < size.length; i++) {
                if (size[i] < 0 || stride[i] < 0) {
                    throw new IOException(file + ": tensor '" + key + "' has a negative size or stride");
                }
                last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
            }
        } catch (ArithmeticException e) {
            throw new IOException(file + ": tensor '" + key + "' has a size that overflows: " + Arrays.toString(size));
        }
        if (last >= capacity) {
            throw new IOException(file + ": tensor '" + key + "' " + Arrays.toString(size) + " needs " + (last + 1)
                    + " " + dtype + " values of storage " + storage.key() + " (" + storage.entry() + "), which holds "
                    + capacity + " (" + storage.byteSize() + " bytes): the file is truncated or damaged");
        }
        if (numel() > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": tensor '" + key + "' has " + numel() + " elements, more than a Java array holds");
        }
    }

    /** The values in C order, upcast to float32. */
    float[] toFloats() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        ByteBuffer b = storage.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (contiguous()) {
            ByteBuffer s = b.position(Math.toIntExact(offset * dtype.size)).slice().order(ByteOrder.LITTLE_ENDIAN);
            switch (dtype) {
                case FLOAT32 -> s.asFloatBuffer().get(out, 0, n);
                case FLOAT16 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = Float16.toFloat(s.getShort(2 * i));
                    }
                }
                case BFLOAT16 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = Float16.bf16ToFloat(s.getShort(2 * i));
                    }
                }
                default -> throw new IllegalStateException(dtype.toString());
            }
            return out;
        }
        // a strided view: walk the index space in C order
        int rank = size.length;
        long[] idx = new long[rank];
        long pos = offset;
        for (int i = 0; i < n; i++) {
            out[i] = read(b, pos);
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                pos += stride[d];
                if (idx[d] < size[d]) {
                    break;
                }
                pos -= stride[d] * size[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    private float read(ByteBuffer b, long element) {
        int at = Math.toIntExact(element * dtype.size);
        return switch (dtype) {
            case FLOAT32 -> b.getFloat(at);
            case FLOAT16 -> Float16.toFloat(b.getShort(at));
            case BFLOAT16 -> Float16.bf16ToFloat(b.getShort(at));
            default -> throw new IllegalStateException(dtype.toString());
        };
    }

    private boolean contiguous() {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }
}
