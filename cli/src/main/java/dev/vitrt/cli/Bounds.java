package dev.vitrt.cli;

import dev.vitrt.models.zoo.ExportOptions;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The ranges numeric options may take, as picocli converters, so that a value out of range is a usage error (exit 2,
 * "Invalid value for option '--threads': ...") before any work, the same way in every command:
 * {@code @Option(names = "--batch", converter = Bounds.Batch.class)}. A converter also applies to the option's default.
 *
 * <p>Upper bounds keep a typo from hanging or exhausting the machine: {@code --threads 100000} asked ONNX Runtime for
 * 100,000 threads, {@code --batch 100000} overflowed the input tensor.
 */
final class Bounds {
    /** Most images in one run: 1024 images at 224x224 are 600 MB of float32 input already. */
    static final int MAX_BATCH = 1024;
    /** Largest image side: the zoo's models run at 224-512; 4096 is far beyond any of them. */
    static final int MAX_INPUT_SIZE = 4096;
    /** Most calibration samples: TensorRT's and ModelOpt's examples calibrate on 500-1000 images. */
    static final int MAX_SAMPLES = 65536;

    private Bounds() {
    }

    /** Images per run: 1 to {@value #MAX_BATCH}. */
    static final class Batch implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return range(value, 1, MAX_BATCH, "images per run");
        }
    }

    /** Image side in pixels: 1 to {@value #MAX_INPUT_SIZE}. */
    static final class InputSize implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return range(value, 1, MAX_INPUT_SIZE, "pixels");
        }
    }

    /** Threads for a run: 0 (the runtime's default) up to this machine's cores; more only oversubscribes them. */
    static final class Threads implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int cores = Runtime.getRuntime().availableProcessors();
            int n = whole(value);
            if (n < 0 || n > cores) {
                throw new TypeConversionException(String.format(Locale.ROOT,
                        "%s; give 0 (one per core) to %d, the cores of this machine", value, cores));
            }
            return n;
        }
    }

    /** Image decoding threads: 1 to 256 (they wait when they are ahead, so more than needed costs only memory). */
    static final class Workers implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return range(value, 1, 256, "threads");
        }
    }

    /** An ONNX opset the exporter makes: {@value ExportOptions#MIN_OPSET} to {@value ExportOptions#MAX_OPSET}. */
    static final class Opset implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return range(value, ExportOptions.MIN_OPSET, ExportOptions.MAX_OPSET, null);
        }
    }

    /** Calibration samples: 1 to {@value #MAX_SAMPLES} (calibrators use hundreds; more only costs time and memory). */
    static final class Samples implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return range(value, 1, MAX_SAMPLES, "samples");
        }
    }

    /** A count of one or more (runs, samples, classes). */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return range(value, 1, Integer.MAX_VALUE, null);
        }
    }

    /** A count of zero or more (warm-up runs). */
    static final class NonNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return range(value, 0, Integer.MAX_VALUE, null);
        }
    }

    /** A tolerance: a finite number, zero or more (NaN would make every comparison pass or fail silently). */
    static final class Tolerance implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d = number(value);
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new TypeConversionException(value + "; give a finite number, 0 or more (e.g. 1e-4)");
            }
            return d;
        }
    }

    /** A percentile: more than 0, at most 100. */
    static final class Percentile implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d = number(value);
            if (!(d > 0 && d <= 100)) {
                throw new TypeConversionException(value + "; give a percentile above 0 and at most 100 (e.g. 99.99)");
            }
            return d;
        }
    }

    /** An input size, {@code N} or {@code HxW} (height first), each side 1 to {@value #MAX_INPUT_SIZE} pixels. */
    static final class HeightWidth implements ITypeConverter<dev.vitrt.runtime.InputSize> {
        @Override
        public dev.vitrt.runtime.InputSize convert(String value) {
            try {
                return checkSides(dev.vitrt.runtime.InputSize.parse(value));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code s}, if neither side is beyond {@value #MAX_INPUT_SIZE} pixels. */
    static dev.vitrt.runtime.InputSize checkSides(dev.vitrt.runtime.InputSize s) {
        if (s.height() > MAX_INPUT_SIZE || s.width() > MAX_INPUT_SIZE) {
            throw new TypeConversionException(s + "; give sides of 1 to " + MAX_INPUT_SIZE + " pixels");
        }
        return s;
    }

    private static int range(String value, int min, int max, String unit) {
        int n = whole(value);
        if (n < min || n > max) {
            throw new TypeConversionException(value + "; give " + (max == Integer.MAX_VALUE ? min + " or more"
                    : min + " to " + max) + (unit == null ? "" : " " + unit));
        }
        return n;
    }

    private static int whole(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            try {
                Long.parseLong(value.trim());
                throw new TypeConversionException(value + " is too large");
            } catch (NumberFormatException notEvenLong) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
        }
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }
}
