package dev.vitrt.calibration.data;

import java.awt.image.BufferedImage;

/**
 * Turns a decoded image into one CHW float sample in the model's input space.
 *
 * <p>Seam: the runtime's preprocessing (timm's eval transform, issue #4) is the implementation meant to sit here, so
 * that calibration sees exactly what {@code infer --image} and services feed the model. Until it lands,
 * {@link InterimEvalTransform} stands in.
 */
@FunctionalInterface
public interface ImagePreprocessor {
    /** The CHW sample for {@code image}. */
    float[] apply(BufferedImage image);
}
