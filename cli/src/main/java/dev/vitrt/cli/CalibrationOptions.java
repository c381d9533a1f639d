package dev.vitrt.cli;

import dev.vitrt.calibration.calibrators.CalibrationMethod;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * How calibration samples become INT8 scales, the same in the commands that calibrate ({@code calibrate},
 * {@code build-engine --calib-data}): {@code @Mixin CalibrationOptions}. ({@code validate} spells its own
 * {@code --calib-samples} and {@code --calib-method}: there the samples and batches are the scored images.)
 */
final class CalibrationOptions {
    @Option(names = "--samples", paramLabel = "N", defaultValue = "64",
            converter = Bounds.Positive.class, description = "Calibration samples (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "mse",
            converter = MethodConverter.class,
            description = "Calibrator: entropy (TensorRT's KL divergence), percentile, max or mse (default"
                    + " ${DEFAULT-VALUE}).")
    CalibrationMethod method;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "99.99", converter = Bounds.Percentile.class,
            description = "Percentile of |x| kept by the percentile method (default ${DEFAULT-VALUE}).")
    double percentile;

    /** {@code entropy|percentile|max|mse}. */
    static final class MethodConverter implements ITypeConverter<CalibrationMethod> {
        @Override
        public CalibrationMethod convert(String value) {
            try {
                return CalibrationMethod.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
