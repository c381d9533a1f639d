package dev.vitrt.cli;

import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.compare.OutputComparison;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vitrt compare}: run two models (or one model on two backends) on the same input and compare outputs. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run two models, or one model on two backends, on the same input and compare their outputs"
                + " the way Polygraphy compares runners: max abs diff, relative error (max|A-B| / max|A|), cosine"
                + " similarity and top-1 agreement. A is the reference.",
                "Exits 1 when --rtol is given and the relative error exceeds it."})
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "A", description = "Reference: a zoo model name or an .onnx file.")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "Compared: a zoo model name or an .onnx file.")
    String b;

    @Mixin
    InputSizeOption sizeOption;

    @Mixin
    InputOptions inputs;

    @Option(names = "--backend-a", paramLabel = "auto|onnxruntime|tensorrt", defaultValue = "auto",
            description = "Backend for A (default: ${DEFAULT-VALUE}).")
    String backendA;

    @Option(names = "--backend-b", paramLabel = "auto|onnxruntime|tensorrt", defaultValue = "auto",
            description = "Backend for B (default: ${DEFAULT-VALUE}).")
    String backendB;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", converter = Bounds.Batch.class,
            description = "Batch of the random input (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rtol", paramLabel = "X", converter = Bounds.Tolerance.class,
            description = "Fail when the relative error exceeds this (a finite number, 0 or more).")
    Double rtol;

    @Override
    public Integer call() throws Exception {
        BackendKind ka = BackendKind.parse(backendA);
        BackendKind kb = BackendKind.parse(backendB);
        ExportOptions opts = ModelFiles.at(sizeOption.inputSize, batch);
        Path fa = ModelFiles.resolve(a, opts);
        Path fb = ModelFiles.resolve(b, opts);
        Backends.Choice ca = Backends.choose(ka, fa);
        Backends.Choice cb = Backends.choose(kb, fb);
        try (Backend ra = Backends.open(fa, ca, BackendOptions.defaults());
             Backend rb = Backends.open(fb, cb, BackendOptions.defaults())) {
            TensorSpec sa = ra.singleInput();
            TensorSpec sb = rb.singleInput();
            FloatTensor x = inputs.tensor(sa, batch, () -> sizeOption.side(ra, sa));
            try {
                sb.checkShape(x.shape());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("B: " + e.getMessage());
            }
            Map<String, FloatTensor> oa = ra.run(Map.of(sa.name(), x));
            Map<String, FloatTensor> ob = rb.run(Map.of(sb.name(), x));
            System.out.printf("A: %s on %s (%s)%nB: %s on %s (%s)%ninput %s%n", fa, ra.name(), ca.reason(), fb,
                    rb.name(), cb.reason(), FloatTensor.shapeString(x.shape()));
            boolean fail = false;
            int i = 0;
            for (Map.Entry<String, FloatTensor> e : oa.entrySet()) {
                FloatTensor other = ob.containsKey(e.getKey()) ? ob.get(e.getKey())
                        : (i < ob.size() ? ob.values().stream().skip(i).findFirst().orElseThrow() : null);
                i++;
                if (other == null) {
                    System.out.println("output '" + e.getKey() + "': missing in B");
                    fail = true;
                    continue;
                }
                OutputComparison c = OutputComparison.of(e.getValue(), other);
                System.out.printf(Locale.ROOT, "output '%s' %s: max abs diff %.6g, mean abs diff %.6g, relative"
                                + " error %.6g, cosine %.8f%s%n", e.getKey(), FloatTensor.shapeString(other.shape()),
                        c.maxAbsDiff(), c.meanAbsDiff(), c.relativeError(), c.cosine(),
                        c.rows() > 0 ? String.format(Locale.ROOT, ", top-1 agreement %.1f%% (%d rows)",
                                100 * c.top1Agreement(), c.rows()) : "");
                if (rtol != null && !(c.relativeError() <= rtol)) {
                    fail = true;
                }
            }
            if (fail && rtol != null) {
                System.out.printf(Locale.ROOT, "FAILED: relative error above --rtol %g%n", rtol);
                return 1;
            }
            if (rtol != null) {
                System.out.printf(Locale.ROOT, "PASSED: relative error within --rtol %g%n", rtol);
            }
        }
        return 0;
    }
}
