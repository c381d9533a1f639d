package dev.vitrt.cli;

import dev.vitrt.benchmark.BenchSettings;
import dev.vitrt.benchmark.Estimator;
import dev.vitrt.benchmark.ReproTable;
import dev.vitrt.benchmark.Reports;
import dev.vitrt.benchmark.TableOptions;
import dev.vitrt.benchmark.TableResult;
import dev.vitrt.benchmark.Tables;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.runtime.BackendKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vitrt reproduce}: the Next-ViT and MobileViTv2 papers' latency tables, measured on this machine. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Regenerate a Next-ViT or MobileViTv2 paper latency table here, the paper's figures beside ours.",
                "The paper's hardware is named, the measured ordering is put in words (where it disagrees with the "
                        + "paper too), and a plot is drawn.",
                "Tables:",
                "  nextvit-models         Next-ViT S/B/L, ResNet-50, MobileViTv2: GMACs, latency",
                "  nextvit-blocks         Next-ViT-S ablations: conv block, strategy, r, LN+GELU",
                "  mobilevitv2-attention  MHA vs Linformer vs separable; latency vs tokens",
                "  nextvit-downstream     Next-ViT S/B/L, ResNet-50 backbones at COCO/ADE20K sizes",
                "Models are measured together in interleaved rounds (robust on a shared machine); each table writes "
                        + "TABLE.md, TABLE.csv (and TABLE-SECTION.csv) and TABLE.svg into --out."})
final class ReproduceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TABLE",
            description = "nextvit-models, nextvit-blocks, mobilevitv2-attention or nextvit-downstream.")
    String table;

    @Mixin
    BackendChoice runtime;

    @Option(names = "--precision", paramLabel = "auto|fp32|fp16", defaultValue = "auto",
            description = "auto: fp16 on TensorRT (as the papers measured), fp32 on ONNX Runtime (default: "
                    + "${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--batch", paramLabel = "N", converter = Bounds.Batch.class,
            description = "Images per run (default: the table's: 8 for nextvit-models, as Next-ViT's TensorRT figures; "
                    + "1 for the others).")
    Integer batch;

    @Option(names = "--input-size", paramLabel = "N", converter = Bounds.InputSize.class,
            description = "Image side for every row (default: each model's paper size: 224, MobileViTv2 256; "
                    + "nextvit-downstream: 800x1280, 512x2048 and 512x512).")
    Integer inputSize;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "60", converter = Bounds.Positive.class,
            description = "Most interleaved rounds, i.e. timed runs per model (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", converter = Bounds.NonNegative.class,
            description = "Untimed runs per model before the rounds (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--time-budget", paramLabel = "SECONDS", defaultValue = "420",
            description = "Start no new round after this long (at least 3 rounds run), so that a table finishes "
                    + "within about 15 minutes on a 2-core CPU (default: ${DEFAULT-VALUE}).")
    long timeBudget;

    @Option(names = "--estimator", paramLabel = "min|median", defaultValue = "min",
            description = "The latency reported per row: min, the fastest run (other processes only add time, so on a "
                    + "shared machine it best estimates the model's own cost), or median (default: ${DEFAULT-VALUE};"
                    + " both are in the tables).")
    String estimator;

    @Option(names = "--only", paramLabel = "MODEL", split = ",",
            description = "Measure only these zoo models' rows (a reduced run), e.g. --only nextvit_small,resnet50.")
    List<String> only;

    @Option(names = "--sizes", paramLabel = "N", split = ",",
            description = "Input sizes of mobilevitv2-attention's token sweep, multiples of 64 (default: "
                    + "128,192,256,320,384,512).")
    List<Integer> sizes;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "reproduce",
            description = "Directory for TABLE.md, TABLE.csv, TABLE.svg (created if missing; default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ReproTable t = Tables.get(table); // unknown tables fail first, with the known names
        if (timeBudget < 1) {
            throw new IllegalArgumentException("--time-budget must be >= 1 second, got " + timeBudget);
        }
        BenchSettings bench = new BenchSettings(runtime.kind(), precision.toLowerCase(Locale.ROOT), warmup,
                iterations, Duration.ofSeconds(timeBudget), 3, runtime.threads, Estimator.parse(estimator));
        if (only != null) {
            for (String m : only) {
                Zoo.get(m);
            }
        }
        TableOptions options = new TableOptions(batch, inputSize, only == null ? null : new LinkedHashSet<>(only),
                sizes, bench);
        CommandFiles.create().writesInto("--out", out).check(); // before minutes of measuring
        TableResult r = t.run(options, ProgressBar.stages("vitrt reproduce: "));
        List<Path> files = Reports.write(r, out);
        System.out.print(Reports.console(r));
        System.out.println("wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
        return 0;
    }
}
