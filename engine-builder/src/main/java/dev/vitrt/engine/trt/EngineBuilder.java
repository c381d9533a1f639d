package dev.vitrt.engine.trt;

import static org.bytedeco.tensorrt.global.nvinfer.createInferBuilder;
import static org.bytedeco.tensorrt.global.nvonnxparser.createParser;

import dev.vitrt.runtime.io.AtomicFiles;
import dev.vitrt.runtime.tensorrt.PlanManifest;
import dev.vitrt.runtime.tensorrt.TensorRtAvailability;
import dev.vitrt.runtime.tensorrt.TensorRtUnavailableException;
import dev.vitrt.runtime.tensorrt.TrtLogger;
import dev.vitrt.runtime.tensorrt.TrtTypes;
import java.io.IOException;
import java.io.PrintStream;
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
import org.bytedeco.tensorrt.global.nvinfer.HardwareCompatibilityLevel;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.NetworkDefinitionCreationFlag;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.ProfilingVerbosity;
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
 * from the graph), the ONNX parser, a builder config (workspace, optimization level, timing cache, hardware
 * compatibility, detailed profiling verbosity so that layer names survive), one optimization profile over the batch
 * range. Writes {@code FILE.plan} and {@code FILE.plan.json} atomically; a failed build leaves neither.
 */
public final class EngineBuilder {
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
     * @param progress where the progress line goes (stderr), or null for none
     * @throws TensorRtUnavailableException before any work when TensorRT cannot run here
     * @throws IOException on unreadable input, a TensorRT parse or build failure, or an unwritable output
     */
    public static Built build(Path onnx, BuildOptions options, Path plan, PrintStream progress)
            throws IOException, TensorRtUnavailableException {
        TensorRtAvailability.Status trt = TensorRtAvailability.require();
        PreparedGraph graph = PreparedGraph.prepare(onnx, options);
        return buildPrepared(onnx, graph, options, plan, progress, trt);
    }

    /**
     * Builds a graph already prepared by {@link PreparedGraph#prepare} (the caller checked
     * {@link TensorRtAvailability} before preparing it, which can take long for INT8 calibration).
     *
     * @param source the ONNX file the graph was prepared from (recorded in the manifest and messages)
     * @throws TensorRtUnavailableException when TensorRT cannot run here
     * @throws IOException on a TensorRT parse or build failure, or an unwritable output
     */
    public static Built build(PreparedGraph graph, Path source, BuildOptions options, Path plan, PrintStream progress)
            throws IOException, TensorRtUnavailableException {
        TensorRtAvailability.Status trt = TensorRtAvailability.require();
        return buildPrepared(source, graph, options, plan, progress, trt);
    }

    private static Built buildPrepared(Path onnx, PreparedGraph graph, BuildOptions o, Path plan, PrintStream progress,
                                       TensorRtAvailability.Status trt) throws IOException {
        TrtLogger logger = new TrtLogger(o.verbose());
        IBuilder builder = createInferBuilder(logger);
        if (builder == null || builder.isNull()) {
            throw new IOException("TensorRT could not create a builder: " + orNone(logger.lastError()));
        }
        int flags = 1 << NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value;
        INetworkDefinition network = builder.createNetworkV2(flags);
        IParser parser = createParser(network, logger);
        IBuilderConfig config = builder.createBuilderConfig();
        try {
            parse(onnx, parser, graph.bytes());
            configure(config, o, logger);
            IOptimizationProfile profile = builder.createOptimizationProfile();
            for (Map.Entry<String, long[][]> e : graph.profile().entrySet()) {
                long[][] s = e.getValue();
                if (!profile.setDimensions(e.getKey(), OptProfileSelector.kMIN, TrtTypes.dims(s[0]))
                        || !profile.setDimensions(e.getKey(), OptProfileSelector.kOPT, TrtTypes.dims(s[1]))
                        || !profile.setDimensions(e.getKey(), OptProfileSelector.kMAX, TrtTypes.dims(s[2]))) {
                    throw new IOException("TensorRT rejected the optimization profile for input '" + e.getKey() + "' ("
                            + String.join("; ", graph.describeProfile()) + "): " + orNone(logger.lastError()));
                }
            }
            config.addOptimizationProfile(profile);

            long t0 = System.nanoTime();
            IHostMemory serialized;
            String label = "building " + graph.info().model() + " " + o.precision().label();
            try (BuildProgress bar = progress == null ? null : new BuildProgress(progress, label)) {
                if (bar != null) {
                    logger.onInfo(bar::phase);
                }
                serialized = builder.buildSerializedNetwork(network, config);
            } finally {
                logger.onInfo(null);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (serialized == null || serialized.isNull() || serialized.size() == 0) {
                throw new IOException("TensorRT failed to build " + onnx + ": " + orNone(logger.lastError()));
            }
            saveTimingCache(config, o.timingCache());

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
        } finally {
            config.close();
            parser.close();
            network.close();
            builder.close();
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
            System.err.println("TensorRT ONNX parser: " + e);
        }
        throw new IOException("TensorRT's ONNX parser rejected " + onnx + ": "
                + (errors.isEmpty() ? "no error reported" : errors.get(0))
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more, listed above)" : ""));
    }

    /** One parser error as {@code node 'NAME' (OP): DESCRIPTION}. */
    static String parserError(String nodeName, String op, int nodeIndex, String desc) {
        String node = nodeName != null && !nodeName.isEmpty() ? "'" + nodeName + "'"
                : nodeIndex >= 0 ? "#" + nodeIndex : "(graph)";
        String d = desc == null ? "" : desc.replaceAll("\\s+", " ").trim();
        return "node " + node + (op != null && !op.isEmpty() ? " (" + op + ")" : "") + ": " + d;
    }

    private static void configure(IBuilderConfig config, BuildOptions o, TrtLogger logger) throws IOException {
        config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, o.workspaceMiB() << 20);
        config.setBuilderOptimizationLevel(o.optimizationLevel());
        config.setProfilingVerbosity(ProfilingVerbosity.kDETAILED);
        config.setHardwareCompatibilityLevel(hardwareLevel(o.hardwareCompatibility()));
        if (o.timingCache() != null) {
            byte[] cache = Files.isRegularFile(o.timingCache()) ? Files.readAllBytes(o.timingCache()) : new byte[0];
            ITimingCache tc;
            if (cache.length > 0) {
                try (BytePointer p = new BytePointer(cache)) {
                    tc = config.createTimingCache(p, cache.length);
                }
            } else {
                tc = config.createTimingCache(null, 0);
            }
            if (tc == null || tc.isNull() || !config.setTimingCache(tc, false)) {
                throw new IOException("TensorRT could not use the timing cache " + o.timingCache() + " ("
                        + orNone(logger.lastError()) + "); delete it to start a new one");
            }
        }
    }

    static HardwareCompatibilityLevel hardwareLevel(String s) {
        switch (s) {
            case "ampere+":
                return HardwareCompatibilityLevel.kAMPERE_PLUS;
            case "same-cc":
                return HardwareCompatibilityLevel.kSAME_COMPUTE_CAPABILITY;
            default:
                return HardwareCompatibilityLevel.kNONE;
        }
    }

    private static void saveTimingCache(IBuilderConfig config, Path file) throws IOException {
        if (file == null) {
            return;
        }
        ITimingCache tc = config.getTimingCache();
        if (tc == null || tc.isNull()) {
            return;
        }
        IHostMemory mem = tc.serialize();
        if (mem != null && !mem.isNull() && mem.size() > 0) {
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

    private static List<PlanManifest.Tensor> tensors(INetworkDefinition network, boolean inputs) {
        List<PlanManifest.Tensor> out = new ArrayList<>();
        int n = inputs ? network.getNbInputs() : network.getNbOutputs();
        for (int i = 0; i < n; i++) {
            ITensor t = inputs ? network.getInput(i) : network.getOutput(i);
            out.add(new PlanManifest.Tensor(t.getName(), TrtTypes.name(t.getType()), TrtTypes.dims(t.getDimensions())));
        }
        return out;
    }

    private static String orNone(String s) {
        return s == null ? "no error reported" : s;
    }
}
