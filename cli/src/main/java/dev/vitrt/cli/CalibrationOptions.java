package dev.vitrt.cli;

import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.engine.int8.Int8Calibration;
import dev.vitrt.runtime.Precision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * How calibration samples become INT8 scales, the same in the commands that calibrate ({@code calibrate},
 * {@code build-engine --calib-data}): {@code @Mixin CalibrationOptions}. ({@code validate} spells its own
 * {@code --calib-samples} and {@code --calib-method}: there the samples and batches are the scored images.)
 */
final class CalibrationOptions {
    @Option(names = "--samples", paramLabel = "N", defaultValue = "64",
            converter = Bounds.Samples.class, description = "Calibration samples (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "mse",
            converter = MethodConverter.class,
            description = "Calibrator: entropy (TensorRT's KL divergence), percentile, max or mse (default"
                    + " ${DEFAULT-VALUE}).")
    CalibrationMethod method;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "99.99", converter = Bounds.Percentile.class,
            description = "Percentile of |x| kept by the percentile method (default ${DEFAULT-VALUE}).")
    double percentile;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /**
     * Inline INT8 calibration on {@code data} ({@code --calib-data}) with these settings (batches of 8, no held-out
     * images) for an engine of {@code precision}; null without data; a usage error when they do not fit.
     */
    Int8Calibration int8(String data, Precision precision) {
        if (data == null) {
            return null;
        }
        if (precision != Precision.INT8) {
            throw new ParameterException(spec.commandLine(), "--calib-data only applies to --precision int8");
        }
        try {
            return new Int8Calibration(data, samples, 8, method, percentile, 0);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

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
