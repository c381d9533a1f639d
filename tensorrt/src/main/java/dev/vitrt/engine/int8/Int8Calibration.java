package dev.vitrt.engine.int8;

import dev.vitrt.calibration.calibrators.CalibrationMethod;

/**
 * How {@code build-engine --precision int8 --calib-data ...} calibrates a float graph before building it.
 *
 * @param data       {@code DIR|FILE.npy|synthetic}, as {@code vitrt calibrate --data} takes it
 * @param samples    calibration samples
 * @param batch      calibration batch size (ONNX Runtime on the CPU)
 * @param method     calibrator
 * @param percentile percentile of |x| kept by {@link CalibrationMethod#PERCENTILE}
 * @param seed       seed of synthetic data
 */
public record Int8Calibration(String data, int samples, int batch, CalibrationMethod method, double percentile,
                              long seed) {
    /** What {@code vitrt calibrate} uses by default: 64 samples, batch 8, mse, seed 0. */
    public static final int DEFAULT_SAMPLES = 64;

    public Int8Calibration {
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("calibration data needs a folder of images, an .npy file or synthetic");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, got " + samples);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("calibration batch must be at least 1, got " + batch);
        }
        if (method == null) {
            method = CalibrationMethod.MSE;
        }
    }

    /** {@code data} with the defaults of {@code vitrt calibrate} for everything else. */
    public static Int8Calibration of(String data) {
        return new Int8Calibration(data, DEFAULT_SAMPLES, 8, CalibrationMethod.MSE, 99.99, 0);
    }
}
