package dev.vitrt.runtime.tensorrt;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreate;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.profile.LayerProfiling;
import dev.vitrt.runtime.profile.LayerTimings;
import dev.vitrt.runtime.tensorrt.nat.LayerTimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.LayerInformationFormat;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IEngineInspector;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IProfiler;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * Runs a TensorRT plan: checks its manifest against this TensorRT and GPU, deserializes it, and runs it with one
 * execution context per concurrent caller (each with its own CUDA stream, device buffers and pinned host buffers,
 * sized for the profile's largest batch), through {@code enqueueV3}.
 *
 * <p>Plans keep float32 inputs and outputs by default (FP16 lowering casts at the edges); others are refused.
 */
public final class TensorRtBackend implements Backend, LayerProfiling {
    private final Path plan;
    private final PlanManifest manifest;
    private final TrtLogger logger;
    private final IRuntime runtime;
    private final ICudaEngine engine;
    private final int device;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final Map<String, long[]> maxShapes = new LinkedHashMap<>();
    private final ConcurrentLinkedDeque<Context> idle = new ConcurrentLinkedDeque<>();
    private final List<Context> all = new ArrayList<>();
    private final String deviceName;
    private volatile boolean closed;

    private TensorRtBackend(Path plan, PlanManifest manifest, TrtLogger logger, IRuntime runtime, ICudaEngine engine,
                            int device, String deviceName) throws BackendException {
        this.plan = plan;
        this.manifest = manifest;
        this.logger = logger;
        this.runtime = runtime;
        this.engine = engine;
        this.device = device;
        this.deviceName = deviceName;
        List<TensorSpec> in = new ArrayList<>();
        List<TensorSpec> out = new ArrayList<>();
        for (int i = 0; i < engine.getNbIOTensors(); i++) {
            String name = engine.getIOTensorName(i);
            String dtype = TrtTypes.name(engine.getTensorDataType(name));
            if (!dtype.equals("float32")) {
                throw new BackendException(plan + ": tensor '" + name + "' is " + dtype + "; VitRT runs plans with "
                        + "float32 inputs and outputs (the default of build-engine)");
            }
            long[] shape = TrtTypes.dims(engine.getTensorShape(name));
            boolean isInput = engine.getTensorIOMode(name).value == TensorIOMode.kINPUT.value;
            TensorSpec spec = new TensorSpec(name, "float", shape, null);
            (isInput ? in : out).add(spec);
            if (isInput) {
                maxShapes.put(name, TrtTypes.dims(engine.getProfileShape(name, 0, OptProfileSelector.kMAX)));
            }
        }
        this.inputs = List.copyOf(in);
        this.outputs = List.copyOf(out);
    }

    /**
     * Opens a plan on a GPU.
     *
     * @throws BackendException when TensorRT cannot run here, the manifest is missing or names another TensorRT
     *                          version or GPU, or TensorRT cannot deserialize the plan
     */
    public static TensorRtBackend open(Path plan, BackendOptions options) throws BackendException {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        if (!s.available()) {
            throw new BackendException(s.reason());
        }
        PlanManifest manifest;
        try {
            manifest = PlanManifest.readFor(plan);
        } catch (IOException e) {
            throw new BackendException(e.getMessage(), e);
        }
        check(cudaSetDevice(options.deviceId()), "cudaSetDevice(" + options.deviceId() + ")");
        String gpu = s.gpuName();
        String cc = s.computeCapability();
        if (options.deviceId() != 0) {
            org.bytedeco.cuda.cudart.cudaDeviceProp p = new org.bytedeco.cuda.cudart.cudaDeviceProp();
            check(org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties(p, options.deviceId()),
                    "cudaGetDeviceProperties");
            gpu = p.name().getString().trim();
            cc = p.major() + "." + p.minor();
        }
        String why = manifest.incompatibility(s.tensorRtVersion(), gpu, cc);
        if (why != null) {
            throw new BackendException(plan + ": " + why);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(plan);
        } catch (IOException e) {
            throw new BackendException("cannot read plan " + plan + ": " + e.getMessage(), e);
        }
        TrtLogger logger = new TrtLogger(false);
        IRuntime runtime = nvinfer.createInferRuntime(logger);
        ICudaEngine engine;
        try (BytePointer data = new BytePointer(bytes)) {
            engine = runtime.deserializeCudaEngine(data, bytes.length);
        }
        if (engine == null || engine.isNull()) {
            throw new BackendException(plan + ": TensorRT could not deserialize the plan ("
                    + (logger.lastError() == null ? "no error reported" : logger.lastError()) + ")");
        }
        return new TensorRtBackend(plan, manifest, logger, runtime, engine, options.deviceId(), gpu);
    }

    @Override
    public String name() {
        return "tensorrt";
    }

    @Override
    public String device() {
        return deviceName + " (GPU " + device + ", TensorRT " + manifest.tensorRtVersion() + ", "
                + manifest.precision() + ")";
    }

    @Override
    public Path modelPath() {
        return plan;
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
        Map<String, String> m = new LinkedHashMap<>(
                ModelMetadata.of(manifest.metadata()).withPrecision(manifest.precision()).asMap());
        m.put("tensorrt.version", manifest.tensorRtVersion());
        return m;
    }

    /** The plan's manifest. */
    public PlanManifest manifest() {
        return manifest;
    }

    @Override
    public Map<String, FloatTensor> run(Map<String, FloatTensor> in) throws BackendException {
        checkInputs(in);
        Context c = idle.pollFirst();
        if (c == null) {
            c = newContext();
        }
        try {
            return c.run(in);
        } finally {
            idle.addFirst(c);
        }
    }

    private void checkInputs(Map<String, FloatTensor> in) throws BackendException {
        if (closed) {
            throw new BackendException("TensorRT backend for " + plan + " is closed");
        }
        for (String k : in.keySet()) {
            if (inputs.stream().noneMatch(s -> s.name().equals(k))) {
                throw new IllegalArgumentException("unknown input '" + k + "'; the plan's inputs are " + inputs);
            }
        }
        for (TensorSpec s : inputs) {
            FloatTensor t = in.get(s.name());
            if (t == null) {
                throw new IllegalArgumentException("missing input '" + s.name() + "'");
            }
            s.checkShape(t.shape());
            if (!manifest.batch().contains(t.dim(0))) {
                throw new IllegalArgumentException("input '" + s.name() + "': batch " + t.dim(0)
                        + " is outside the plan's batch range " + manifest.batch());
            }
        }
    }

    private synchronized Context newContext() throws BackendException {
        check(cudaSetDevice(device), "cudaSetDevice");
        Context c = new Context();
        all.add(c);
        return c;
    }

    /**
     * TensorRT's own description of the engine's layers (IEngineInspector), one entry per layer: name, type,
     * tactic, input/output formats. {@code json} picks TensorRT's JSON format over its one-line format.
     */
    public List<String> engineLayers(boolean json) throws BackendException {
        Context c = idle.pollFirst();
        if (c == null) {
            c = newContext();
        }
        try {
            IEngineInspector inspector = engine.createEngineInspector();
            inspector.setExecutionContext(c.ctx);
            LayerInformationFormat f = json ? LayerInformationFormat.kJSON : LayerInformationFormat.kONELINE;
            List<String> out = new ArrayList<>();
            for (int i = 0; i < engine.getNbLayers(); i++) {
                out.add(inspector.getLayerInformation(i, f));
            }
            inspector.close();
            return out;
        } finally {
            idle.addFirst(c);
        }
    }

    /**
     * Per-layer times need TensorRT to call an {@code IProfiler}; the JavaCPP presets do not let Java implement one
     * (not virtualized), so a small native collector ({@link LayerTimes}, built with the runtime) takes TensorRT's
     * reports. Null when it is there, else why not.
     */
    @Override
    public String layerProfilingUnavailable() {
        String why = LayerTimes.load();
        return why == null ? null : "per-layer TensorRT times are not available: " + why
                + " (it is built where g++ is found; end-to-end latency and `--layers` work)";
    }

    /**
     * Profiled runs on their own execution context, so that plain runs stay unprofiled: the native collector is set
     * as the context's profiler, each run is enqueued, synchronized, then reported ({@code reportToProfiler}).
     */
    @Override
    public ProfiledRuns startProfiling(Map<String, FloatTensor> inputs) throws BackendException {
        String why = layerProfilingUnavailable();
        if (why != null) {
            throw new BackendException(why);
        }
        checkInputs(inputs);
        Context c = newContext();
        LayerTimes times = new LayerTimes();
        c.ctx.setEnqueueEmitsProfile(false);
        c.ctx.setProfiler(new IProfiler(times.asProfiler()));
        Set<String> types = switch (manifest.precision()) {
            case "fp16" -> Set.of("float16");
            case "int8" -> Set.of("int8");
            default -> Set.of("float");
        };
        LayerTimeAccumulator acc = new LayerTimeAccumulator();
        return new ProfiledRuns() {
            private boolean closed;

            @Override
            public void run() throws BackendException {
                times.clear();
                long t0 = System.nanoTime();
                c.run(inputs);
                if (!c.ctx.reportToProfiler()) {
                    throw new BackendException("TensorRT could not report layer times: " + logger.lastError());
                }
                double wall = (System.nanoTime() - t0) / 1e6;
                int n = times.size();
                List<String> names = new ArrayList<>(n);
                float[] ms = new float[n];
                for (int i = 0; i < n; i++) {
                    names.add(times.name(i).getString());
                    ms[i] = times.ms(i);
                }
                acc.addRun(names, ms, wall);
            }

            @Override
            public LayerTimings finish(int lastRuns) {
                return acc.finish(lastRuns, types);
            }

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                closed = true;
                synchronized (TensorRtBackend.this) {
                    if (all.remove(c)) { // else the backend was closed, and the context with it
                        c.ctx.setProfiler(null);
                        c.close();
                    }
                }
                times.close();
            }
        };
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Context c : all) {
            c.close();
        }
        all.clear();
        idle.clear();
        engine.close();
        runtime.close();
        logger.close();
    }

    static void check(int err, String what) throws BackendException {
        if (err != cudaSuccess) {
            throw new BackendException("CUDA error in " + what + ": " + cudaGetErrorString(err).getString());
        }
    }

    /** One caller's execution context, stream and buffers. */
    private final class Context {
        final IExecutionContext ctx;
        final CUstream_st stream = new CUstream_st();
        final Map<String, Pointer> deviceBuf = new LinkedHashMap<>();
        final Map<String, FloatPointer> hostBuf = new LinkedHashMap<>();

        Context() throws BackendException {
            ctx = engine.createExecutionContext();
            if (ctx == null || ctx.isNull()) {
                throw new BackendException("TensorRT could not create an execution context: " + logger.lastError());
            }
            check(cudaStreamCreate(stream), "cudaStreamCreate");
            // size every buffer for the largest batch of the profile
            for (TensorSpec s : inputs) {
                setShape(s.name(), maxShapes.get(s.name()));
            }
            for (TensorSpec s : inputs) {
                allocate(s.name(), count(maxShapes.get(s.name())));
            }
            for (TensorSpec s : outputs) {
                allocate(s.name(), count(TrtTypes.dims(ctx.getTensorShape(s.name()))));
            }
        }

        private void setShape(String name, long[] shape) throws BackendException {
            if (!ctx.setInputShape(name, TrtTypes.dims(shape))) {
                throw new BackendException("TensorRT refused shape " + FloatTensor.shapeString(shape) + " for input '"
                        + name + "': " + logger.lastError());
            }
        }

        private void allocate(String name, long elements) throws BackendException {
            Pointer d = new Pointer();
            check(cudaMalloc(d, elements * 4), "cudaMalloc for '" + name + "'");
            deviceBuf.put(name, d);
            Pointer h = new Pointer();
            check(cudaMallocHost(h, elements * 4), "cudaMallocHost for '" + name + "'");
            hostBuf.put(name, new FloatPointer(h).capacity(elements));
            if (!ctx.setTensorAddress(name, d)) {
                throw new BackendException("TensorRT refused the buffer of '" + name + "'");
            }
        }

        Map<String, FloatTensor> run(Map<String, FloatTensor> in) throws BackendException {
            for (TensorSpec s : inputs) {
                FloatTensor t = in.get(s.name());
                setShape(s.name(), t.shape());
                FloatPointer h = hostBuf.get(s.name());
                h.position(0).put(t.data(), 0, t.data().length);
                check(cudaMemcpyAsync(deviceBuf.get(s.name()), h, 4L * t.data().length, cudaMemcpyHostToDevice,
                        stream), "copy of '" + s.name() + "' to the GPU");
            }
            if (!ctx.enqueueV3(stream)) {
                throw new BackendException("TensorRT enqueueV3 failed: " + logger.lastError());
            }
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (TensorSpec s : outputs) {
                long[] shape = TrtTypes.dims(ctx.getTensorShape(s.name()));
                shapes.put(s.name(), shape);
                check(cudaMemcpyAsync(hostBuf.get(s.name()), deviceBuf.get(s.name()), 4L * count(shape),
                        cudaMemcpyDeviceToHost, stream), "copy of '" + s.name() + "' from the GPU");
            }
            check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                float[] data = new float[Math.toIntExact(count(e.getValue()))];
                hostBuf.get(e.getKey()).position(0).get(data);
                out.put(e.getKey(), new FloatTensor(e.getValue(), data));
            }
            return out;
        }

        void close() {
            deviceBuf.values().forEach(p -> cudaFree(p));
            hostBuf.values().forEach(p -> cudaFreeHost(p.position(0)));
            cudaStreamDestroy(stream);
            ctx.close();
        }
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= Math.max(d, 0);
        }
        return n;
    }
}
