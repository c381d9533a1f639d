package dev.vitrt.cli;

import dev.vitrt.engine.triton.TritonExportOptions;
import dev.vitrt.engine.triton.TritonExporter;
import dev.vitrt.engine.triton.TritonRepository;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vitrt triton-export}: puts a zoo model, ONNX graph or TensorRT plan into a Triton model repository. */
@Command(name = "triton-export",
        mixinStandardHelpOptions = true,
        description = {
                "Write a model into an NVIDIA Triton Inference Server model repository.",
                "Writes DIR/NAME/config.pbtxt and DIR/NAME/1/model.plan (platform tensorrt_plan) or model.onnx"
                        + " (onnxruntime_onnx). Inputs, outputs, dims and the batch range come from the plan's manifest"
                        + " (FILE.plan.json) or the ONNX graph; a model with a dynamic batch gets dynamic batching, one"
                        + " with a fixed batch gets max_batch_size 0 and full dims. A model already in the repository"
                        + " gets the new one as its next version (2/, 3/, ...) with --force, as Triton expects a served"
                        + " model to be updated.",
                "Serve with: tritonserver --model-repository=DIR"})
public final class TritonExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL|FILE.plan|FILE.onnx",
            description = "A zoo model name (exported to ONNX first), an ONNX file, or a plan built by build-engine.")
    String model;

    @CommandLine.Mixin
    InputSizeOption sizeOption;

    @Option(names = "--repository", required = true, paramLabel = "DIR",
            description = "The model repository (created if missing).")
    Path repository;

    @CommandLine.Mixin
    TritonOptions triton;

    @CommandLine.Mixin
    WeightsOptions checkpoint;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TritonExportOptions options = triton.toOptions();
        CommandFiles.create().readsModel("MODEL", model).reads("--weights", checkpoint.weights)
                .writesInto("--repository", repository).check();
        Path file;
        String origin = Path.of(model).getFileName().toString();
        if (ModelFiles.isPlan(model)) {
            file = Path.of(model);
        } else {
            if (!model.endsWith(".onnx")) {
                try { // a zoo model's name is known before minutes of export
                    TritonRepository.checkWritable(repository, options.name() != null ? options.name() : model,
                            options.newVersion());
                } catch (FileAlreadyExistsException ex) {
                    throw TritonOptions.WORDS.reword(ex);
                }
                System.err.println("exporting " + model + " to ONNX...");
                origin = "zoo model " + model;
            }
            file = ModelFiles.resolve(model, checkpoint.applyTo(ModelFiles.at(sizeOption.inputSize, null)));
        }
        TritonExporter.Exported e;
        try {
            e = TritonExporter.export(file, origin, repository, options);
        } catch (IllegalArgumentException | FileAlreadyExistsException ex) { // what the model makes of the flags
            throw TritonOptions.WORDS.reword(ex);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(e.describe());
        out.println("serve it: tritonserver --model-repository=" + repository.toAbsolutePath());
        return 0;
    }
}
