package dev.vitrt.calibration.qdq;

/** Symmetric INT8 quantization of a weight tensor, per output channel or per tensor, with scales from the weights. */
public final class WeightQuantizer {
    /** Quantized values and their scales (one per channel along the axis, or one). */
    public record Quantized(byte[] values, float[] scales) {
    }

    private WeightQuantizer() {
    }

    /**
     * Quantizes {@code w} (shape {@code dims}) along {@code axis} (-1: one scale for the whole tensor): each channel's
     * scale is its largest |w| over 127 (1/127 for an all-zero channel), values round to nearest in [-127, 127].
     */
    public static Quantized quantize(float[] w, long[] dims, int axis) {
        int channels = axis < 0 ? 1 : (int) dims[axis];
        long inner = 1;
        for (int d = axis + 1; d < dims.length && axis >= 0; d++) {
            inner *= dims[d];
        }
        float[] max = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = channel(i, channels, inner);
            max[c] = Math.max(max[c], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = max[c] > 0 ? max[c] / 127f : 1f / 127f;
        }
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            float v = Math.round(w[i] / scales[channel(i, channels, inner)]);
            q[i] = (byte) Math.max(-127, Math.min(127, v));
        }
        return new Quantized(q, scales);
    }

    private static int channel(int flatIndex, int channels, long inner) {
        return channels == 1 ? 0 : (int) ((flatIndex / inner) % channels);
    }
}
