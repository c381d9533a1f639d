package dev.vitrt.cli;

import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.engine.trt.SizeRange;
import picocli.CommandLine;

/** picocli converters of the TensorRT options (precision, batch range, size range): bad values are usage errors. */
final class TensorRtConverters {
    private TensorRtConverters() {
    }

    /** {@code --batch MIN:OPT:MAX}. */
    static final class BatchConverter implements CommandLine.ITypeConverter<BatchRange> {
        @Override
        public BatchRange convert(String value) {
            try {
                BatchRange r = BatchRange.parse(value);
                if (r.max() > Bounds.MAX_BATCH) {
                    throw new CommandLine.TypeConversionException(value + "; the largest batch is " + Bounds.MAX_BATCH);
                }
                return r;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --input-size N|HxW|MIN:OPT:MAX}. */
    static final class SizeRangeConverter implements CommandLine.ITypeConverter<SizeRange> {
        @Override
        public SizeRange convert(String value) {
            try {
                SizeRange r = SizeRange.parse(value);
                Bounds.checkSides(r.max());
                return r;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --precision fp32|fp16|int8}. */
    static final class PrecisionConverter implements CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
