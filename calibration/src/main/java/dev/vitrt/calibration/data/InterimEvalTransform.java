package dev.vitrt.calibration.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Stand-in for the runtime's preprocessing until it lands (see {@link ImagePreprocessor}): timm's eval transform in
 * outline: resize the shorter side to {@code size / cropPct} (bicubic), centre-crop {@code size x size}, scale to
 * [0, 1], normalize by mean and std per channel, CHW order.
 */
public final class InterimEvalTransform implements ImagePreprocessor {
    private final int size;
    private final double cropPct;
    private final float[] mean;
    private final float[] std;

    public InterimEvalTransform(int size, double cropPct, float[] mean, float[] std) {
        this.size = size;
        this.cropPct = cropPct;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    public float[] apply(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int shorter = (int) Math.floor(size / cropPct);
        int rw = w <= h ? shorter : (int) Math.round((double) w * shorter / h);
        int rh = w <= h ? (int) Math.round((double) h * shorter / w) : shorter;
        BufferedImage resized = new BufferedImage(rw, rh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, rw, rh, null);
        g.dispose();
        int x0 = (rw - size) / 2;
        int y0 = (rh - size) / 2;
        float[] out = new float[3 * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = resized.getRGB(x0 + x, y0 + y);
                int i = y * size + x;
                out[i] = (((rgb >> 16) & 0xff) / 255f - mean[0]) / std[0];
                out[plane + i] = (((rgb >> 8) & 0xff) / 255f - mean[1]) / std[1];
                out[2 * plane + i] = ((rgb & 0xff) / 255f - mean[2]) / std[2];
            }
        }
        return out;
    }
}
