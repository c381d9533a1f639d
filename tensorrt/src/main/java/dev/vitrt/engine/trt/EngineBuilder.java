package dev.vitrt.engine.trt;

import dev.vitrt.runtime.BuildListener;
import static org.bytedeco.tensorrt.global.nvinfer.createInferBuilder;
import static org.bytedeco.tensorrt.global.nvonnxparser.createParser;

import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.io.AtomicFiles;
import dev.vitrt.tensorrt.PlanManifest;
import dev.vitrt.tensorrt.TensorRtAvailability;
import dev.vitrt.tensorrt.TensorRtException;
import dev.vitrt.tensorrt.TensorRtUnavailableException;
import dev.vitrt.tensorrt.TrtLog;
import dev.vitrt.tensorrt.TrtObjects;
import dev.vitrt.tensorrt.TrtObjects.Kind;
import dev.vitrt.tensorrt.TrtTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer.NetworkDefinitionCreationFlag;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITensor;
import org.bytedeco.tensorrt.nvinfer.ITimingCache;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;

/**
 * Builds a TensorRT plan from an ONNX graph through the JavaCPP presets: a strongly typed network (precision comes
 * from the graph), the ONNX parser, a builder config ({@link BuilderSettings}: workspace, optimization level, TF32
 * off, detailed profiling verbosity so that layer names survive, hardware compatibility; a timing cache), one
 * optimization profile over the batch range. Writes {@code FILE.plan} and {@code FILE.plan.json} atomically; a failed
 * build leaves neither. Every TensorRT object the build makes is destroyed when it ends (parser, network, config,
 * timing cache, builder), through the process-wide logger ({@link TrtLog}).
 */
public final class EngineBuilder {
    private static final System.Logger LOG = System.getLogger("dev.vitrt.engine");

    /**
     * A finished build.
     *
     * @param plan     the plan file
     * @param manifest what was written beside it
     * @param seconds  wall time of TensorRT's build
     * @param notes    what preparation did to the graph (FP16 lowering, INT8 conversion or calibration)
     */
    public record Built(Path plan, PlanManifest manifest, double seconds, List<String> notes) {
    }

    private EngineBuilder() {
    }

    /**
     * Builds {@code onnx} into {@code plan}.
     *
     * @param listener receives TensorRT's messages during the build (progress)
     * @throws TensorRtUnavailableException before any work when TensorRT cannot run here
     * @throws IOException on unreadable input, a TensorRT parse or build failure, or an unwritable output
     */
    public static Built build(Path onnx, BuildOptions options, Path plan, BuildListener listener)
            throws IOException, TensorRtUnavailableException {
        TensorRtAvailability.Status trt = TensorRtAvailability.require();
        PreparedGraph graph = PreparedGraph.prepare(onnx, options);
        return buildPrepared(onnx, graph, options, plan, listener, trt);
    }

    /**
     * Builds a graph already prepared by {@link PreparedGraph#prepare} (the caller checked
     * {@link TensorRtAvailability} before preparing it, which can take long for INT8 calibration).
     *
     * @param source the ONNX file the graph was prepared from (recorded in the manifest and messages)
     * @throws TensorRtUnavailableException when TensorRT cannot run here
     * @throws IOException on a TensorRT parse or build failure, or an unwritable output
     */
    public static Built build(PreparedGraph graph, Path source, BuildOptions options, Path plan, BuildListener listener)
            throws IOException, TensorRtUnavailableException {
        TensorRtAvailability.Status trt = TensorRtAvailability.require();
        return buildPrepared(source, graph, options, plan, listener, trt);
    }

    private static Built buildPrepared(Path onnx, PreparedGraph graph, BuildOptions o, Path plan,
                                       BuildListener listener, TensorRtAvailability.Status trt) throws IOException {
        BuildListener l = listener == null ? BuildListener.NONE : listener;
        try (TrtObjects objects = new TrtObjects();
             TrtLog.Operation log = TrtLog.begin((severity, text) -> {
                 if (o.verbose() || !severity.equals("verbose")) {
                     l.message(severity, text);
                 }
             })) {
            IBuilder builder = objects.own(Kind.BUILDER, createInferBuilder(TrtLog.logger()), "a builder",
                    log.lastErrorOrNone());
            int flags = 1 << NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value;
            INetworkDefinition network = objects.own(Kind.NETWORK, builder.createNetworkV2(flags),
                    "a strongly typed network", log.lastErrorOrNone());
            IParser parser = objects.own(Kind.PARSER, createParser(network, TrtLog.logger()), "an ONNX parser",
                    log.lastErrorOrNone());
            IBuilderConfig config = objects.own(Kind.BUILDER_CONFIG, builder.createBuilderConfig(),
                    "a builder config", log.lastErrorOrNone());
            parse(onnx, parser, graph.bytes());
            BuilderSettings.of(o).applyTo(config);
            useTimingCache(config, o.timingCache(), objects, log);
            addProfile(builder, config, graph, log);

            long t0 = System.nanoTime();
            IHostMemory plan0;
            try (MonitoredBuild monitored = MonitoredBuild.start(config, l)) {
                plan0 = builder.buildSerializedNetwork(network, config);
                if (monitored.cancelled() && (plan0 == null || plan0.isNull())) {
                    throw new TensorRtException("the build of " + onnx + " was cancelled");
                }
            }
            IHostMemory serialized = objects.own(Kind.HOST_MEMORY, plan0, "a plan from " + onnx,
                    log.lastErrorOrNone());
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (serialized.size() == 0) {
                throw new TensorRtException("TensorRT built an empty plan from " + onnx + ": " + log.lastErrorOrNone());
            }
            saveTimingCache(config, o.timingCache(), objects, log);

            PlanManifest manifest = new PlanManifest(PlanManifest.FORMAT, graph.info().model(), o.precision().label(),
                    tensors(network, true), tensors(network, false), o.batch(), trt.tensorRtVersion(), trt.gpuName(),
                    trt.computeCapability(), o.hardwareCompatibility(), graph.sha256(), onnx.toAbsolutePath().toString(),
                    graph.info().metadata(), Instant.now().toString());
            writePlan(plan, serialized);
            try {
                manifest.writeFor(plan);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(plan); // a plan without its manifest cannot be checked: leave neither
                throw e;
            }
            return new Built(plan, manifest, seconds, graph.notes());
        }
    }

    /** One optimization profile over the prepared shapes; TensorRT's refusal (-1) is an error, not ignored. */
    private static void addProfile(IBuilder builder, IBuilderConfig config, PreparedGraph graph, TrtLog.Operation log)
            throws IOException {
        IOptimizationProfile profile = builder.createOptimizationProfile(); // owned by the builder
        if (profile == null || profile.isNull()) {
            throw new TensorRtException("TensorRT could not create an optimization profile: " + log.lastErrorOrNone());
        }
        for (Map.Entry<String, long[][]> e : graph.profile().entrySet()) {
            long[][] s = e.getValue();
            if (!profile.setDimensions(e.getKey(), OptProfileSelector.kMIN, TrtTypes.dims(s[0]))
                    || !profile.setDimensions(e.getKey(), OptProfileSelector.kOPT, TrtTypes.dims(s[1]))
                    || !profile.setDimensions(e.getKey(), OptProfileSelector.kMAX, TrtTypes.dims(s[2]))) {
                throw new TensorRtException("TensorRT rejected the optimization profile for input '" + e.getKey()
                        + "' (" + String.join("; ", graph.describeProfile()) + "): " + log.lastErrorOrNone());
            }
        }
        if (config.addOptimizationProfile(profile) < 0) {
            throw new TensorRtException("TensorRT rejected the optimization profile ("
                    + String.join("; ", graph.describeProfile()) + "): " + log.lastErrorOrNone());
        }
    }

    /** Parses the graph; every parser error is reported with its node's name and op. */
    private static void parse(Path onnx, IParser parser, byte[] bytes) throws IOException {
        try (BytePointer data = new BytePointer(bytes)) {
            if (parser.parse(data, bytes.length)) {
                return;
            }
        }
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < parser.getNbErrors(); i++) {
            IParserError e = parser.getError(i);
            errors.add(parserError(e.nodeName(), e.nodeOperator(), e.node(), e.desc()));
        }
        for (String e : errors) {
            LOG.log(System.Logger.Level.ERROR, "TensorRT's ONNX parser: " + e);
        }
        throw new TensorRtException("TensorRT's ONNX parser rejected " + onnx + ": "
                + (errors.isEmpty() ? "no error reported" : errors.get(0))
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more, logged)" : ""));
    }

    /** One parser error as {@code node 'NAME' (OP): DESCRIPTION}. */
    static String parserError(String nodeName, String op, int nodeIndex, String desc) {
        String node = nodeName != null && !nodeName.isEmpty() ? "'" + nodeName + "'"
                : nodeIndex >= 0 ? "#" + nodeIndex : "(graph)";
        String d = desc == null ? "" : desc.replaceAll("\\s+", " ").trim();
        return "node " + node + (op != null && !op.isEmpty() ? " (" + op + ")" : "") + ": " + d;
    }

    /** Reads the timing cache file (a new cache when absent or empty) and hands it to the config. */
    private static void useTimingCache(IBuilderConfig config, Path file, TrtObjects objects, TrtLog.Operation log)
            throws IOException {
        if (file == null) {
            return;
        }
        byte[] cache = Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0];
        ITimingCache tc;
        try (BytePointer p = new BytePointer(cache)) {
            tc = config.createTimingCache(cache.length > 0 ? p : null, cache.length);
        }
        try {
            objects.own(Kind.TIMING_CACHE, tc, "a timing cache", log.lastErrorOrNone());
        } catch (TensorRtException e) {
            throw new TensorRtException("TensorRT could not use the timing cache " + file + " ("
                    + log.lastErrorOrNone() + "); delete it to start a new one");
        }
        if (!config.setTimingCache(tc, false)) {
            throw new TensorRtException("TensorRT could not use the timing cache " + file + " ("
                    + log.lastErrorOrNone() + "); delete it to start a new one");
        }
    }

    private static void saveTimingCache(IBuilderConfig config, Path file, TrtObjects objects, TrtLog.Operation log)
            throws IOException {
        if (file == null) {
            return;
        }
        ITimingCache tc = config.getTimingCache(); // the one handed to the config, owned already
        if (tc == null || tc.isNull()) {
            return;
        }
        IHostMemory mem = objects.own(Kind.HOST_MEMORY, tc.serialize(), "a serialized timing cache",
                log.lastErrorOrNone());
        if (mem.size() > 0) {
            AtomicFiles.writeVia(file, tmp -> copyOut(mem, tmp));
        }
    }

    private static void writePlan(Path plan, IHostMemory serialized) throws IOException {
        AtomicFiles.writeVia(plan, tmp -> copyOut(serialized, tmp));
    }

    private static void copyOut(IHostMemory mem, Path file) throws IOException {
        ByteBuffer buf = mem.data().capacity(mem.size()).asByteBuffer();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    private static List<TensorSpec> tensors(INetworkDefinition network, boolean inputs) {
        List<TensorSpec> out = new ArrayList<>();
        int n = inputs ? network.getNbInputs() : network.getNbOutputs();
        for (int i = 0; i < n; i++) {
            ITensor t = inputs ? network.getInput(i) : network.getOutput(i);
            out.add(new TensorSpec(t.getName(), TrtTypes.elementType(t.getType()), TrtTypes.dims(t.getDimensions())));
        }
        return out;
    }
}
