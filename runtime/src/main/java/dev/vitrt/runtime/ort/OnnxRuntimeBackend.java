package dev.vitrt.runtime.ort;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.io.TemporaryFiles;
import dev.vitrt.runtime.profile.LayerProfiling;
import dev.vitrt.runtime.profile.LayerTime;
import dev.vitrt.runtime.profile.LayerTimings;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded default backend: ONNX Runtime, on the CPU, with every graph optimization on. Runs are thread-safe
 * (ONNX Runtime's {@code Run} is); a read-write lock keeps {@link #close} from freeing the session under a running call.
 */
public final class OnnxRuntimeBackend implements Backend, LayerProfiling {

    private final OrtEnvironment env;
    private final Path model;
    private final BackendOptions options;
    private final OrtSession session;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final Map<String, String> metadata;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxRuntimeBackend(OrtEnvironment env, Path model, BackendOptions options, OrtSession session)
            throws OrtException {
        this.env = env;
        this.model = model;
        this.options = options;
        this.session = session;
        this.inputs = specs(session.getInputInfo());
        this.outputs = specs(session.getOutputInfo());
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(session.getMetadata().getCustomMetadata()));
    }

    /** Loads {@code model} (an .onnx file) with these options. */
    public static OnnxRuntimeBackend open(Path model, BackendOptions options) throws BackendException {
        if (!Files.isRegularFile(model)) {
            throw new BackendException("no such model file: " + model);
        }
        OrtEnvironment env = OrtEnvironments.get();
        try (OrtSession.SessionOptions so = sessionOptions(options, null)) {
            OrtSession session = env.createSession(model.toString(), so);
            try {
                return new OnnxRuntimeBackend(env, model, options, session);
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new BackendException(loadError(model, e), e);
        }
    }

    private static OrtSession.SessionOptions sessionOptions(BackendOptions o, String profilePrefix) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (o.interOpThreads() > 1) {
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
            so.setInterOpNumThreads(o.interOpThreads());
        } else {
            // sequential: one node at a time, so per-node kernel times add up to the run's time
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        }
        if (o.intraOpThreads() > 0) {
            so.setIntraOpNumThreads(o.intraOpThreads());
        }
        if (profilePrefix != null) {
            so.enableProfiling(profilePrefix);
        }
        return so;
    }

    /** One line for a model ONNX Runtime cannot load, without ORT's error-code preamble. */
    static String loadError(Path model, OrtException e) {
        String msg = String.valueOf(e.getMessage());
        int i = msg.indexOf("message: ");
        if (i >= 0) {
            msg = msg.substring(i + "message: ".length());
        }
        msg = msg.lines().findFirst().orElse(msg).trim();
        if (msg.contains("Protobuf parsing failed") || msg.contains("INVALID_PROTOBUF")) {
            return model + ": not a valid ONNX model (protobuf parsing failed)";
        }
        return model + ": ONNX Runtime cannot load the model: " + msg;
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> info) {
        List<TensorSpec> out = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : info.entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t) {
                out.add(new TensorSpec(e.getKey(), elementType(t.onnxType), t.getShape(), t.getDimensionNames()));
            } else { // a sequence or map: VitRT feeds and reads tensors only
                out.add(new TensorSpec(e.getKey(), ElementType.UNDEFINED, new long[0], new String[0]));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The element type of ONNX Runtime's Java enum, named {@code ONNX_TENSOR_ELEMENT_DATA_TYPE_} + ONNX's name (its
     * {@code value} is the Java API's own numbering, not ONNX's code).
     */
    static ElementType elementType(TensorInfo.OnnxTensorType t) {
        String name = t.name();
        return ElementType.parse(name.startsWith(ORT_TYPE_PREFIX) ? name.substring(ORT_TYPE_PREFIX.length()) : name)
                .orElse(ElementType.UNDEFINED); // a type newer than this VitRT
    }

    private static final String ORT_TYPE_PREFIX = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";

    @Override
    public String name() {
        return "onnxruntime";
    }

    @Override
    public String device() {
        int n = options.intraOpThreads();
        return "CPU (" + (n > 0 ? n + " intra-op threads" : "default threads") + ")";
    }

    @Override
    public Path modelPath() {
        return model;
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The options this backend was opened with. */
    public BackendOptions options() {
        return options;
    }

    @Override
    public Map<String, FloatTensor> run(Map<String, FloatTensor> in) throws BackendException {
        lock.readLock().lock();
        try {
            checkOpen();
            Map<String, OnnxTensor> tensors = toOrt(in);
            try (OrtSession.Result r = session.run(tensors)) {
                return fromOrt(r);
            } catch (OrtException e) {
                throw new BackendException(model.getFileName() + ": ONNX Runtime run failed: " + firstLine(e), e);
            } finally {
                tensors.values().forEach(OnnxTensor::close);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Map<String, FloatTensor> run(FloatBuffer input, long[] shape) throws BackendException {
        TensorSpec spec = singleInput();
        spec.checkShape(shape);
        lock.readLock().lock();
        try {
            checkOpen();
            try (OnnxTensor t = OnnxTensor.createTensor(env, input.duplicate(), shape);
                 OrtSession.Result r = session.run(Map.of(spec.name(), t))) {
                return fromOrt(r);
            } catch (OrtException e) {
                throw new BackendException(model.getFileName() + ": ONNX Runtime run failed: " + firstLine(e), e);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public PreparedRun prepare(Map<String, FloatTensor> in) throws BackendException {
        lock.readLock().lock();
        try {
            checkOpen();
            return new OrtPreparedRun(session, toOrt(in));
        } finally {
            lock.readLock().unlock();
        }
    }

    private final class OrtPreparedRun implements PreparedRun {
        private final OrtSession target;
        private final Map<String, OnnxTensor> tensors;

        OrtPreparedRun(OrtSession target, Map<String, OnnxTensor> tensors) {
            this.target = target;
            this.tensors = tensors;
        }

        @Override
        public Map<String, FloatTensor> run() throws BackendException {
            lock.readLock().lock();
            try (OrtSession.Result r = runRaw()) {
                return fromOrt(r);
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public void runDiscardingOutputs() throws BackendException {
            lock.readLock().lock();
            try {
                runRaw().close();
            } finally {
                lock.readLock().unlock();
            }
        }

        private OrtSession.Result runRaw() throws BackendException {
            checkOpen();
            try {
                return target.run(tensors);
            } catch (OrtException e) {
                throw new BackendException(model.getFileName() + ": ONNX Runtime run failed: " + firstLine(e), e);
            }
        }

        @Override
        public void close() {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Opens a second session with ONNX Runtime's profiler on (profiling is fixed when a session is created); its
     * per-node kernel times are read from the trace it writes. The latency session is never profiled.
     */
    @Override
    public ProfiledRuns startProfiling(Map<String, FloatTensor> in) throws BackendException {
        checkOpen();
        Path dir = null;
        try {
            dir = TemporaryFiles.createDirectory("vitrt-ort-profile"); // removed on Ctrl-C too
            return new OrtProfiledRuns(dir, in);
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new BackendException("cannot create a temporary directory for ONNX Runtime's profile: "
                    + e.getMessage(), e);
        } catch (OrtException e) {
            deleteQuietly(dir);
            throw new BackendException(model.getFileName() + ": ONNX Runtime profiling failed: " + firstLine(e), e);
        }
    }

    /**
     * Profiled runs of the model, each followed by a run of the {@link ProfilerProbe} in a session with the same
     * options and the profiler on, so that the profiler's own per-node cost is measured under the same conditions as
     * the layers and can be taken out of their times.
     */
    private final class OrtProfiledRuns implements ProfiledRuns {
        private final Path dir;
        private final Path optimizedGraph;
        private final OrtSession profiled;
        private final OrtSession probe;
        private final Map<String, OnnxTensor> tensors;
        private final OnnxTensor probeInput;
        private boolean done;

        OrtProfiledRuns(Path dir, Map<String, FloatTensor> in) throws OrtException, BackendException {
            this.dir = dir;
            this.optimizedGraph = dir.resolve("optimized.onnx");
            try (OrtSession.SessionOptions so = sessionOptions(options, dir.resolve("ort").toString())) {
                // the graph as ONNX Runtime rewrote it: maps renamed nodes back to the model's node names
                so.setOptimizedModelFilePath(optimizedGraph.toString());
                this.profiled = env.createSession(model.toString(), so);
            }
            OrtSession p = null;
            OnnxTensor pi = null;
            try (OrtSession.SessionOptions so = sessionOptions(options, dir.resolve("probe").toString())) {
                p = env.createSession(ProfilerProbe.model(), so);
                pi = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1f}), new long[] {1});
                this.tensors = toOrt(in);
            } catch (OrtException | BackendException | RuntimeException e) {
                profiled.close();
                if (p != null) {
                    p.close();
                }
                if (pi != null) {
                    pi.close();
                }
                throw e;
            }
            this.probe = p;
            this.probeInput = pi;
        }

        @Override
        public void run() throws BackendException {
            if (done) {
                throw new IllegalStateException("profiling already finished");
            }
            try {
                profiled.run(tensors).close();
                probe.run(Map.of("x0", probeInput)).close();
            } catch (OrtException e) {
                throw new BackendException(model.getFileName() + ": ONNX Runtime run failed: " + firstLine(e), e);
            }
        }

        /** The profiler's cost per node, in ms per run: the median kernel time of the probe's no-work nodes. */
        private double profilerCostMs(int lastRuns) throws OrtException, IOException {
            Path file = Path.of(probe.endProfiling());
            if (!file.isAbsolute() && !Files.exists(file)) {
                file = dir.resolve(file.getFileName());
            }
            double[] ms = OrtProfileParser.parse(file, lastRuns).layers().stream().mapToDouble(LayerTime::ms)
                    .sorted().toArray();
            return ms.length == 0 ? 0 : ms[ms.length / 2];
        }

        @Override
        public LayerTimings finish(int lastRuns) throws BackendException {
            if (done) {
                throw new IllegalStateException("profiling already finished");
            }
            done = true;
            try {
                Path file = Path.of(profiled.endProfiling());
                if (!file.isAbsolute() && !Files.exists(file)) {
                    file = dir.resolve(file.getFileName());
                }
                LayerTimings raw = OrtProfileParser.parse(file, lastRuns);
                OnnxGraphIndex optimized = null;
                try {
                    optimized = Files.isRegularFile(optimizedGraph) ? OnnxGraphIndex.read(optimizedGraph) : null;
                } catch (IOException e) {
                    // without the optimized graph, names still resolve through tensor names
                }
                double cost = profilerCostMs(lastRuns);
                return new OrtNodeNames(OnnxGraphIndex.read(model), optimized).resolveAll(raw).lessProfilerCost(cost);
            } catch (OrtException e) {
                throw new BackendException(model.getFileName() + ": ONNX Runtime profiling failed: " + firstLine(e), e);
            } catch (IOException e) {
                throw new BackendException("ONNX Runtime profile unreadable: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            tensors.values().forEach(OnnxTensor::close);
            probeInput.close();
            try {
                profiled.close();
                probe.close();
            } catch (OrtException e) {
                // freeing memory only
            }
            deleteQuietly(dir);
        }
    }

    private Map<String, OnnxTensor> toOrt(Map<String, FloatTensor> in) throws BackendException {
        for (String name : in.keySet()) {
            if (inputs.stream().noneMatch(s -> s.name().equals(name))) {
                throw new IllegalArgumentException("unknown input '" + name + "' (model inputs: "
                        + inputs.stream().map(TensorSpec::name).toList() + ")");
            }
        }
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        try {
            for (TensorSpec spec : inputs) {
                FloatTensor t = in.get(spec.name());
                if (t == null) {
                    throw new IllegalArgumentException("missing input '" + spec.name() + "' " + spec);
                }
                if (spec.elementType() != ElementType.FLOAT32) {
                    throw new IllegalArgumentException("input '" + spec.name() + "' is "
                            + (spec.elementType() == ElementType.UNDEFINED ? "not a tensor of a known type" : spec.elementType())
                            + "; VitRT feeds float32 inputs only");
                }
                spec.checkShape(t.shape());
                out.put(spec.name(), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.data()), t.shape()));
            }
            return out;
        } catch (OrtException | RuntimeException e) {
            out.values().forEach(OnnxTensor::close);
            if (e instanceof OrtException oe) {
                throw new BackendException("cannot create input tensor: " + firstLine(oe), oe);
            }
            throw (RuntimeException) e;
        }
    }

    private Map<String, FloatTensor> fromOrt(OrtSession.Result r) throws BackendException {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : r) {
            if (!(e.getValue() instanceof OnnxTensor t)) {
                throw new BackendException("output '" + e.getKey() + "' is not a tensor");
            }
            TensorInfo info = t.getInfo();
            OnnxJavaType jt = info.type;
            if (jt != OnnxJavaType.FLOAT && jt != OnnxJavaType.FLOAT16 && jt != OnnxJavaType.BFLOAT16) {
                throw new BackendException("output '" + e.getKey() + "' is " + jt + "; VitRT reads float outputs only");
            }
            FloatBuffer fb = t.getFloatBuffer(); // converts float16/bfloat16 to float32
            float[] data = new float[fb.remaining()];
            fb.get(data);
            out.put(e.getKey(), new FloatTensor(info.getShape(), data));
        }
        return out;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("backend for " + model.getFileName() + " is closed");
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                try {
                    session.close();
                } catch (OrtException e) {
                    // closing a session only frees memory; nothing a caller could do about a failure here
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static String firstLine(OrtException e) {
        String m = String.valueOf(e.getMessage());
        int i = m.indexOf("message: ");
        return (i >= 0 ? m.substring(i + 9) : m).lines().findFirst().orElse(m).trim();
    }

    private static void deleteQuietly(Path dir) {
        TemporaryFiles.delete(dir);
    }
}
