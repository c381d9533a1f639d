package dev.vitrt.cli;

import dev.vitrt.runtime.compare.OutputComparison;
import picocli.CommandLine.Option;

/** Element-wise tolerances as Polygraphy spells them, |A-B| <= atol + rtol*|B|: {@code @Mixin ToleranceOptions}. */
final class ToleranceOptions {
    @Option(names = "--atol", paramLabel = "X", defaultValue = "1e-5", converter = Bounds.Tolerance.class,
            description = "Absolute tolerance (default: ${DEFAULT-VALUE}, Polygraphy's).")
    double atol;

    @Option(names = "--rtol", paramLabel = "X", defaultValue = "1e-5", converter = Bounds.Tolerance.class,
            description = "Relative tolerance, times |B| (default: ${DEFAULT-VALUE}, Polygraphy's).")
    double rtol;

    OutputComparison.Tolerance tolerance() {
        return new OutputComparison.Tolerance(atol, rtol);
    }
}
