package dev.vitrt.engine.triton;

import dev.vitrt.runtime.BatchRange;
import dev.vitrt.models.onnx.OnnxModels;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.engine.triton.TritonModelConfig.DynamicBatching;
import dev.vitrt.engine.triton.TritonModelConfig.InstanceGroup;
import dev.vitrt.engine.triton.TritonModelConfig.Kind;
import dev.vitrt.engine.triton.TritonModelConfig.Platform;
import dev.vitrt.tensorrt.PlanHeader;
import dev.vitrt.tensorrt.PlanManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Turns an ONNX graph or a TensorRT plan (with its manifest) into a Triton model: the configuration Triton needs,
 * taken from the graph's inputs/outputs or the manifest, and the model directory written into a repository.
 *
 * <p>A model batches in Triton when dimension 0 of every input and output is dynamic (the zoo's {@code batch}):
 * then {@code max_batch_size > 0} and dims leave the batch out. A model with a fixed batch gets
 * {@code max_batch_size: 0} and its full dims.
 */
public final class TritonExporter {

    private TritonExporter() {
    }

    /** The configuration for an ONNX graph file. */
    public static TritonModelConfig configForOnnx(Path onnx, TritonExportOptions options) throws IOException {
        return configForOnnx(onnx, onnx.getFileName().toString(), options);
    }

    /** Like {@link #configForOnnx(Path, TritonExportOptions)}; {@code origin} says where the graph came from. */
    public static TritonModelConfig configForOnnx(Path onnx, String origin, TritonExportOptions options)
            throws IOException {
        ModelProto m = OnnxModels.read(onnx);
        for (TensorProto t : m.getGraph().getInitializerList()) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                throw new IOException(onnx + ": initializer '" + t.getName() + "' keeps its data in an external file;"
                        + " triton-export copies one self-contained model.onnx");
            }
        }
        List<TensorSpec> in = checked(OnnxModels.inputs(m, onnx.toString()), onnx, "input");
        List<TensorSpec> out = checked(OnnxModels.outputs(m, onnx.toString()), onnx, "output");
        if (in.isEmpty() || out.isEmpty()) {
            throw new IOException(onnx + ": graph has no inputs or no outputs");
        }
        String model = OnnxModels.metadata(m).model().orElse(null);
        String name = options.name() != null ? options.name() : model != null ? model : stem(onnx);
        if (options.name() == null) {
            TritonModelConfig.checkName(name, onnx + ": the model name from " + (model != null
                    ? "the graph's vitrt.model metadata" : "the file name") + " (give a name)");
        }

        boolean batchable = batchable(in, out);
        int maxBatch = resolveMaxBatch(options, batchable, TritonExportOptions.DEFAULT_ONNX_MAX_BATCH, in, onnx);
        Kind kind = options.kind() != null ? options.kind() : Kind.KIND_CPU;
        List<String> comments = List.of("written by vitrt triton-export from " + origin
                + (model != null ? " (model " + model + ")" : ""));
        return assemble(name, Platform.ONNXRUNTIME_ONNX, maxBatch, in, out,
                preferred(options, maxBatch, 0), options, kind, comments, onnx.toString());
    }

    /** The configuration for a TensorRT plan described by its manifest. */
    public static TritonModelConfig configForPlan(Path plan, PlanManifest manifest, TritonExportOptions options) {
        if (options.kind() == Kind.KIND_CPU) {
            throw new IllegalArgumentException(plan + ": a TensorRT plan runs on a GPU only; use kind KIND_GPU");
        }
        List<TensorSpec> in = checked(manifest.inputs(), PlanManifest.pathFor(plan), "input");
        List<TensorSpec> out = checked(manifest.outputs(), PlanManifest.pathFor(plan), "output");
        if (in.isEmpty() || out.isEmpty()) {
            throw new IllegalArgumentException(PlanManifest.pathFor(plan) + ": manifest lists no inputs or no outputs");
        }
        boolean batchable = batchable(in, out);
        BatchRange range = manifest.batch();
        if (batchable && range == null) {
            throw new IllegalArgumentException(PlanManifest.pathFor(plan)
                    + ": manifest lacks 'batch' (the profile's range) for a plan with a dynamic batch");
        }
        int maxBatch = resolveMaxBatch(options, batchable, batchable ? range.max() : 0, in, plan);
        if (maxBatch > 0) {
            if (maxBatch > range.max()) {
                throw new IllegalArgumentException("maxBatch " + maxBatch + " is above the plan's largest batch "
                        + range.max() + " (profile " + range + "); rebuild it with a larger batch range or a lower maxBatch");
            }
            if (range.min() > 1) {
                throw new IllegalArgumentException(plan + ": the plan's profile " + range
                        + " starts above 1 but Triton sends batches of 1 to max_batch_size; rebuild it with batch range 1:"
                        + range.opt() + ":" + range.max());
            }
        }
        String name = options.name() != null ? options.name()
                : manifest.model() != null && !manifest.model().isBlank() ? manifest.model() : stem(plan);
        if (options.name() == null) {
            TritonModelConfig.checkName(name, PlanManifest.pathFor(plan) + ": the model name from " + (manifest.model()
                    != null && !manifest.model().isBlank() ? "the manifest" : "the file name") + " (give a name)");
        }
        List<String> comments = List.of(
                "written by vitrt triton-export from " + plan.getFileName() + " (model " + manifest.model() + ", "
                        + manifest.precision() + (range != null ? ", profile batch " + range : "") + ")",
                "the plan runs only on TensorRT " + manifest.tensorRtVersion() + " and " + manifest.gpuName()
                        + " (compute capability " + manifest.computeCapability() + ", hardware compatibility "
                        + manifest.hardwareCompatibility() + "): serve it with a Triton release built on that TensorRT");
        int opt = range != null ? range.opt() : 0;
        return assemble(name, Platform.TENSORRT_PLAN, maxBatch, in, out, preferred(options, maxBatch, opt),
                options, Kind.KIND_GPU, comments, plan.toString());
    }

    /**
     * Writes {@code DIR/<name>/config.pbtxt} and {@code DIR/<name>/1/model.plan|model.onnx} for a model file
     * ({@code .onnx}, or {@code .plan} with its manifest beside it), or, for a model already there (with
     * {@link TritonExportOptions#newVersion}), its next version; see {@link TritonRepository}.
     */
    public static Exported export(Path model, Path repository, TritonExportOptions options) throws IOException {
        return export(model, model.getFileName().toString(), repository, options);
    }

    /** Like {@link #export(Path, Path, TritonExportOptions)}; {@code origin} names the source in the config. */
    public static Exported export(Path model, String origin, Path repository, TritonExportOptions options)
            throws IOException {
        String file = model.getFileName().toString();
        TritonModelConfig config;
        List<Path[]> extras = new ArrayList<>();
        if (file.endsWith(".plan") || file.endsWith(".engine")) {
            if (!Files.isRegularFile(model)) {
                throw new IOException("no such plan file: " + model);
            }
            PlanHeader.check(model); // a garbage file with a plausible manifest beside it stops here
            PlanManifest manifest = PlanManifest.readFor(model);
            config = configForPlan(model, manifest, options);
            // provenance travels with the plan; Triton ignores other files in the version directory
            extras.add(new Path[] {PlanManifest.pathFor(model), Path.of(config.platform().fileName() + ".json")});
        } else if (file.endsWith(".onnx")) {
            if (!Files.isRegularFile(model)) {
                throw new IOException("no such ONNX file: " + model);
            }
            config = configForOnnx(model, origin, options);
        } else {
            throw new IllegalArgumentException("not a model file (expected FILE.onnx or FILE.plan): " + model);
        }
        TritonRepository.Written w = TritonRepository.writeModel(repository, config, model, extras,
                options.newVersion());
        return new Exported(config, w.modelDirectory(), w.version(), w.configChanged());
    }

    /**
     * What {@link #export} wrote.
     *
     * @param modelDirectory the model's directory in the repository
     * @param version        the version directory written ({@code 1} for a new model)
     * @param configChanged  whether config.pbtxt was written (false: a new version under the same configuration)
     */
    public record Exported(TritonModelConfig config, Path modelDirectory, int version, boolean configChanged) {
        /** The model file written, {@code DIR/NAME/VERSION/model.onnx|model.plan}. */
        public Path modelFile() {
            return modelDirectory.resolve(Integer.toString(version)).resolve(config.platform().fileName());
        }

        /**
         * What was written, in one line: {@code wrote DIR/NAME/config.pbtxt and DIR/NAME/1/model.onnx (version 1,
         * 0.1 MB): platform onnxruntime_onnx, max_batch_size 8, dynamic batching (...), 1 x KIND_CPU}.
         */
        public String describe() throws IOException {
            DynamicBatching db = config.dynamicBatching();
            return String.format(Locale.ROOT, "wrote %s%s (version %d, %.1f MB): platform %s, max_batch_size %d%s, %d x %s",
                    configChanged ? modelDirectory.resolve("config.pbtxt") + " and " : "", modelFile(), version,
                    Files.size(modelFile()) / 1e6, config.platform().id(), config.maxBatchSize(), db == null ? ""
                            : ", dynamic batching (preferred " + db.preferredBatchSizes() + ", max delay "
                            + db.maxQueueDelayMicros() + " us)",
                    config.instances().count(), config.instances().kind());
        }
    }

    private static TritonModelConfig assemble(String name, Platform platform, int maxBatch, List<TensorSpec> in,
                                              List<TensorSpec> out, List<Integer> preferred,
                                              TritonExportOptions options, Kind kind, List<String> comments,
                                              String source) {
        DynamicBatching db = maxBatch > 0 ? new DynamicBatching(preferred, options.maxQueueDelayMicros()) : null;
        return new TritonModelConfig(name, platform, maxBatch, tritonTensors(in, maxBatch, source + ": input"),
                tritonTensors(out, maxBatch, source + ": output"), db, new InstanceGroup(options.instances(), kind),
                comments);
    }

    private static List<TritonTensor> tritonTensors(List<TensorSpec> ts, int maxBatch, String role) {
        List<TritonTensor> out = new ArrayList<>();
        for (TensorSpec t : ts) {
            long[] dims = maxBatch > 0 ? Arrays.copyOfRange(t.shape(), 1, t.shape().length) : t.shape();
            out.add(new TritonTensor(t.name(), TritonDataType.of(t.elementType(), role + " '" + t.name() + "'"), dims));
        }
        return out;
    }

    /** Every input and output has a dynamic dimension 0: Triton may batch along it. */
    private static boolean batchable(List<TensorSpec> in, List<TensorSpec> out) {
        for (List<TensorSpec> ts : List.of(in, out)) {
            for (TensorSpec t : ts) {
                if (t.shape().length == 0 || t.shape()[0] >= 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int resolveMaxBatch(TritonExportOptions options, boolean batchable, int dflt,
                                       List<TensorSpec> in, Path source) {
        if (!batchable) {
            if (options.maxBatch() != null && options.maxBatch() > 0) {
                TensorSpec t = in.get(0);
                throw new IllegalArgumentException(source + ": maxBatch " + options.maxBatch()
                        + " needs a dynamic batch dimension but input '" + t.name() + "' has shape "
                        + Arrays.toString(t.shape()) + " (export the model with a dynamic batch)");
            }
            return 0;
        }
        return options.maxBatch() != null ? options.maxBatch() : dflt;
    }

    /** Given sizes (checked), or the profile's opt (when between 1 and max) and the max batch. */
    private static List<Integer> preferred(TritonExportOptions options, int maxBatch, int opt) {
        if (maxBatch == 0) {
            return List.of();
        }
        if (options.preferredBatchSizes() != null) {
            for (int p : options.preferredBatchSizes()) {
                if (p < 1 || p > maxBatch) {
                    throw new IllegalArgumentException("preferredBatchSizes " + p + " is outside 1.." + maxBatch
                            + " (the max batch)");
                }
            }
            return List.copyOf(new TreeSet<>(options.preferredBatchSizes()));
        }
        TreeSet<Integer> p = new TreeSet<>();
        if (opt > 1 && opt < maxBatch) {
            p.add(opt);
        }
        if (maxBatch > 1) {
            p.add(maxBatch);
        }
        return List.copyOf(p);
    }

    /** The tensors, each checked to have dimensions of 1 or more, or -1 for a dynamic one. */
    private static List<TensorSpec> checked(List<TensorSpec> tensors, Path source, String role) {
        for (TensorSpec t : tensors) {
            for (long d : t.shape()) {
                if (d < 1 && d != -1) {
                    throw new IllegalArgumentException(source + ": " + role + " '" + t.name() + "' has shape "
                            + Arrays.toString(t.shape()) + "; dimensions are 1 or more, or -1 for a dynamic one");
                }
            }
        }
        return tensors;
    }

    private static String stem(Path p) {
        String f = p.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
