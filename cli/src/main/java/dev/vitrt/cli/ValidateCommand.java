package dev.vitrt.cli;

import dev.vitrt.runtime.Precision;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.calibration.data.CalibrationSources;
import dev.vitrt.engine.validate.Validation;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.validate.ValidationReport;
import dev.vitrt.runtime.validate.ValidationReports;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vitrt validate}: top-1/top-5 on labelled images, per precision, side by side. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Top-1/top-5 accuracy on a labelled image folder, FP32 against FP16 and INT8, side by side.",
                "As timm's validate.py: the model's eval transform (from the graph metadata), DIR/<class>/<image>"
                        + " with classes named by ImageNet synset (n01440764) or class index, or a CSV of path,label"
                        + " rows. fp16 runs the FP16 lowering TensorRT builds from; int8 calibrates on --calib-data,"
                        + " or on a slice of DIR that is then not scored. Unreadable images are named in the report,"
                        + " not fatal."})
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL|FILE.onnx|FILE.plan",
            description = "Zoo model name, FP32 (or FP16/INT8) ONNX graph, or TensorRT plan.")
    String model;

    @Mixin
    WeightsOptions checkpoint;

    @Mixin
    BackendChoice runtime;

    @Mixin
    InputSizeOption sizeOption;

    @Mixin
    LabelledData images;

    @Option(names = "--precision", paramLabel = "P", split = ",", description = {"fp32, fp16, int8, comma-separated"
            + " (default: the graph's own, fp32 for a zoo model); agreement is against fp32."})
    List<String> precisions = List.of();

    @Option(names = "--calib-data", paramLabel = "DIR|FILE.npy|synthetic",
            description = "INT8 calibration data (default: --calib-samples images of --data, not scored then).")
    String calibData;

    @Option(names = "--calib-samples", paramLabel = "N", defaultValue = "64", converter = Bounds.Samples.class,
            description = "INT8 calibration samples (default ${DEFAULT-VALUE}).")
    int calibSamples;

    @Option(names = "--calib-method", paramLabel = "METHOD", defaultValue = "mse",
            description = "entropy, percentile, max or mse (default ${DEFAULT-VALUE}).")
    String calibMethod;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", converter = Bounds.Batch.class,
            description = "Images per run (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", converter = Bounds.NonNegative.class,
            description = "Score at most N images, spread evenly over the classes (default: all).")
    int limit;

    @Option(names = "--workers", paramLabel = "N", converter = Bounds.Workers.class,
            description = "Image decoding threads (default: half the cores, at least 1).")
    Integer workers;

    @Mixin
    ReportFiles reports;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Validation.Options options = options();
        images.check();
        if (checkpoint.weights != null && ModelFiles.isPlan(model)) {
            throw new ParameterException(spec.commandLine(), "--weights applies to zoo models, not to a plan");
        }
        checkpoint.checkApplies(model);
        if (calibData != null) {
            CalibrationSources.check(calibData);
        }
        reports.checkedBy(images.checkedBy(CommandFiles.create().readsModel("MODEL", model)
                .reads("--weights", checkpoint.weights))).check();
        Validation.Data data = images.toData();
        Path file = ModelFiles.resolveOrPlan(model, checkpoint.applyTo(ModelFiles.at(sizeOption.inputSize, null)));
        ValidationReport r;
        try (ProgressBar bar = new ProgressBar("vitrt validate:", "scoring", "images")) {
            r = Validation.run(file, data, options, bar);
        }
        System.out.print(ValidationReports.console(r));
        reports.write(r, ValidationReports::writeJson, ValidationReports::writeCsv);
        return 0;
    }

    private Validation.Options options() {
        try {
            List<Precision> p = precisions.stream().map(Precision::parse).toList();
            int w = workers != null ? workers : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
            return new Validation.Options(p, batch, w, limit, runtime.kind(),
                    runtime.options(), sizeOption.inputSize, calibData, calibSamples,
                    CalibrationMethod.parse(calibMethod), 99.99);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
