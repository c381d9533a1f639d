package dev.vitrt.cli;

import dev.vitrt.runtime.Precision;
import dev.vitrt.calibration.data.CalibrationSources;
import dev.vitrt.engine.int8.Int8Calibration;
import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.EngineBuilder;
import dev.vitrt.engine.trt.PreparedModel;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.io.TemporaryFiles;
import dev.vitrt.tensorrt.PlanManifest;
import dev.vitrt.tensorrt.TensorRtAvailability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vitrt build-engine}: compiles a zoo model or ONNX file into a TensorRT plan with its manifest. */
@Command(name = "build-engine",
        mixinStandardHelpOptions = true,
        description = {
                "Build a TensorRT engine (plan) from a zoo model or an ONNX file, with a JSON manifest beside it.",
                "FILE.plan.json records the model, precision, inputs/outputs, batch range, TensorRT version, GPU and"
                        + " source-graph SHA-256.",
                "Precision lives in the graph (strongly typed network): fp16 lowers the graph to float16 with"
                        + " normalisations and softmax kept in float32; int8 takes the Q/DQ graph made by `vitrt"
                        + " calibrate` (an ONNX Runtime layout is converted to TensorRT's: int8 zero point 0, float"
                        + " biases), or calibrates the float graph first with --calib-data.",
                "Needs an NVIDIA GPU and TensorRT 11 natives (build with -Ptensorrt, or a system TensorRT 11.2+); see"
                        + " `vitrt doctor`."})
public final class BuildEngineCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL|FILE.onnx",
            description = "A zoo model name (exported on the fly) or an ONNX file.")
    String model;

    @Option(names = "--precision", required = true, paramLabel = "fp32|fp16|int8",
            converter = TensorRtConverters.PrecisionConverter.class, description = "Engine precision.")
    Precision precision;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.plan",
            description = "Plan file to write (its manifest goes to FILE.plan.json).")
    Path output;

    @CommandLine.Mixin
    WeightsOptions checkpoint;

    @Option(names = "--calib-data", paramLabel = "DIR|FILE.npy|synthetic", description = {
            "int8: calibrate the float graph on this data first (a folder of JPEG/PNG images, a float32 .npy"
                    + " batch [N,C,H,W] already normalized, or 'synthetic'); without it int8 needs a Q/DQ graph."})
    String calibData;

    @CommandLine.Mixin
    CalibrationOptions calibrationOptions;

    @CommandLine.Mixin
    EngineBuildOptions engine;

    @Override
    public Integer call() throws Exception {
        BuildOptions options = engine.toBuildOptions(precision);
        Int8Calibration calibration = calibrationOptions.int8(calibData, precision);
        Path out = output.toAbsolutePath();
        Path calibFile = calibData == null || calibData.equals("synthetic") ? null : Path.of(calibData);
        CommandFiles.create().readsModel("MODEL", model).reads("--weights", checkpoint.weights).reads("--calib-data", calibFile)
                .writes("--output", output).writes("its manifest", PlanManifest.pathFor(output))
                .writes("--timing-cache", engine.timingCache).check();
        if (calibration != null) {
            CalibrationSources.check(calibration.data());
        }
        // cheap and decisive: before any export, lowering, calibration or parsing
        TensorRtAvailability.require();
        PreparedModel p;
        try (ProgressBar bar = new ProgressBar("vitrt build-engine:")) {
            p = prepare(model, checkpoint, options, calibration, bar);
        } catch (IllegalArgumentException e) { // the graph's rules, said in this command's flags
            throw EngineBuildOptions.WORDS.reword(e);
        }
        p.graph().notes().forEach(System.err::println);
        EngineBuilder.Built built = EngineBuildProgress.build(p.graph(), p.source(), options, out);
        PlanManifest m = built.manifest();
        System.out.printf("wrote %s (%.1f MB) and %s: %s %s, batch %s, TensorRT %s on %s (sm %s), built in %.1f s%n",
                output, Files.size(out) / 1e6, PlanManifest.pathFor(output), m.model(), m.precision(), m.batch(),
                m.tensorRtVersion(), m.gpuName(), m.computeCapability(), built.seconds());
        return 0;
    }

    /** The CPU half of a build: MODEL resolved (a zoo model exported) and its graph ready for TensorRT. */
    static PreparedModel prepare(String model, WeightsOptions checkpoint, BuildOptions options,
            Int8Calibration calibration, Progress progress) throws IOException {
        checkpoint.checkApplies(model);
        return PreparedModel.prepare(model, checkpoint.applyTo(ExportOptions.defaults()), options, calibration,
                TemporaryFiles::createFile, progress);
    }
}
