package dev.vitrt.tensorrt;

import static dev.vitrt.tensorrt.Cuda.check;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.profile.LayerProfiling;
import dev.vitrt.runtime.profile.LayerTimings;
import dev.vitrt.tensorrt.TrtObjects.Kind;
import dev.vitrt.tensorrt.cache.EngineFactory;
import dev.vitrt.tensorrt.nat.LayerTimes;
import dev.vitrt.tensorrt.nat.NativeTensorRt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.global.nvinfer.LayerInformationFormat;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IEngineInspector;
import org.bytedeco.tensorrt.nvinfer.IProfiler;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * Runs a TensorRT plan: checks its manifest against this TensorRT and GPU, deserializes it, and runs it with one
 * execution context per concurrent caller ({@link TrtContext}: its own CUDA stream, device buffers and pinned host
 * buffers, sized for the profile's largest batch), through {@code enqueueV3}. At most
 * {@link BackendOptions#maxContexts()} contexts exist (default {@value #DEFAULT_MAX_CONTEXTS}, Triton's instance count):
 * callers beyond them wait for one ({@link ContextPool}).
 *
 * <p>Every run makes the backend's GPU current on its thread first (a pooled context may have been made on another
 * thread). Runs and {@link #close()} exclude each other: close waits for runs in flight, then destroys the contexts,
 * the engine and the runtime through their destructors, so their GPU memory is returned.
 *
 * <p>Plans keep float32 inputs and outputs by default (FP16 lowering casts at the edges); others are refused.
 */
public final class TensorRtBackend implements Backend, LayerProfiling {
    private final Path plan;
    private final Path model;
    private final PlanManifest manifest;
    private final TrtObjects objects;
    private final ICudaEngine engine;
    private final int device;
    private final String deviceName;
    private final boolean cudaGraph;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final Map<String, long[]> maxShapes = new LinkedHashMap<>();
    private final RunGate gate;
    /** Most contexts running at once when {@link BackendOptions#maxContexts()} is 0. */
    public static final int DEFAULT_MAX_CONTEXTS = 2;
    /** The contexts of runs and prepared runs, at most {@link BackendOptions#maxContexts()}. */
    private final ContextPool<TrtContext> pool;
    /** Contexts of profiling sessions, each its own beside the pool's; guarded by {@link #objects}. */
    private final List<TrtContext> profiling = new ArrayList<>();

    private TensorRtBackend(Path plan, Path model, PlanManifest manifest, TrtObjects objects, ICudaEngine engine,
                            int device, String deviceName, BackendOptions options) throws BackendException {
        this.plan = plan;
        this.model = model;
        this.manifest = manifest;
        this.objects = objects;
        this.engine = engine;
        this.device = device;
        this.deviceName = deviceName;
        this.cudaGraph = options.cudaGraph();
        this.gate = new RunGate(device, Cuda::setDevice, "TensorRT backend for " + plan);
        this.pool = new ContextPool<>(options.maxContexts() == 0 ? DEFAULT_MAX_CONTEXTS : options.maxContexts(),
                "TensorRT backend for " + plan);
        List<TensorSpec> in = new ArrayList<>();
        List<TensorSpec> out = new ArrayList<>();
        for (int i = 0; i < engine.getNbIOTensors(); i++) {
            String name = engine.getIOTensorName(i);
            DataType trtType = engine.getTensorDataType(name);
            ElementType dtype = TrtTypes.elementType(trtType.value).orElse(null);
            if (dtype != ElementType.FLOAT32) {
                throw new BackendException(plan + ": tensor '" + name + "' is "
                        + (dtype != null ? dtype : "TensorRT type " + trtType.value) + "; VitRT runs plans with "
                        + "float32 inputs and outputs (the default of build-engine)");
            }
            long[] shape = TrtTypes.dims(engine.getTensorShape(name));
            boolean isInput = engine.getTensorIOMode(name).value == TensorIOMode.kINPUT.value;
            (isInput ? in : out).add(new TensorSpec(name, dtype, shape));
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
        return open(plan, plan, options);
    }

    /**
     * Opens a plan built from {@code model} (an ONNX file whose engine came from the engine cache), which
     * {@link #modelPath()} then names.
     */
    public static TensorRtBackend open(Path plan, Path model, BackendOptions options) throws BackendException {
        PlanManifest manifest;
        EngineFactory.Target target = target(options.deviceId());
        try {
            manifest = PlanManifest.readFor(plan);
        } catch (IOException e) {
            throw new BackendException(e.getMessage(), e);
        }
        int device = options.deviceId();
        String gpu = target.gpuName();
        String why = manifest.incompatibility(target.tensorRtVersion(), gpu, target.computeCapability());
        if (why != null) {
            throw new BackendException(plan + ": " + why);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(plan);
        } catch (IOException e) {
            throw new BackendException("cannot read plan " + plan + ": " + e.getMessage(), e);
        }
        TrtObjects objects = new TrtObjects();
        try (TrtLog.Operation log = TrtLog.begin(null)) {
            IRuntime created = nvinfer.createInferRuntime(TrtLog.logger());
            checkCreated(created, "a runtime", log); // before owning: an invalid pointer must never be destroyed
            IRuntime runtime = objects.own(Kind.RUNTIME, created, "a runtime", log.lastErrorOrNone());
            ICudaEngine engine;
            try (BytePointer data = new BytePointer(bytes)) {
                engine = runtime.deserializeCudaEngine(data, bytes.length);
            }
            objects.own(Kind.ENGINE, engine, "an engine from " + plan + " (deserializeCudaEngine)",
                    log.lastErrorOrNone());
            return new TensorRtBackend(plan, model, manifest, objects, engine, device, gpu, options);
        } catch (TensorRtException e) {
            objects.close();
            throw new BackendException(e.getMessage(), e);
        } catch (BackendException | RuntimeException e) {
            objects.close();
            throw e;
        }
    }

    /**
     * The TensorRT version and the GPU {@code device} (made current on this thread): what a plan must have been built
     * for to run here.
     *
     * @throws BackendException when TensorRT cannot run here
     */
    public static EngineFactory.Target target(int device) throws BackendException {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        if (!s.available()) {
            throw new BackendException(s.reason());
        }
        Cuda.setDevice(device);
        if (device == 0) {
            return new EngineFactory.Target(s.tensorRtVersion(), s.gpuName(), s.computeCapability());
        }
        try (cudaDeviceProp p = new cudaDeviceProp()) {
            check(cudart.cudaGetDeviceProperties(p, device), "cudaGetDeviceProperties(" + device + ")");
            return new EngineFactory.Target(s.tensorRtVersion(), p.name().getString().trim(), p.major() + "." + p.minor());
        }
    }

    /**
     * {@code createInferRuntime} returns a non-null pointer that is no object when CUDA fails (it reports the failure
     * to the logger), so success is: not null, outside the zero page, and no error reported during the call.
     */
    static void checkCreated(org.bytedeco.javacpp.Pointer p, String what, TrtLog.Operation log)
            throws TensorRtException {
        if (p == null || p.isNull() || Long.compareUnsigned(p.address(), 1 << 16) < 0 || log.lastError() != null) {
            throw new TensorRtException("TensorRT could not create " + what + ": " + log.lastErrorOrNone());
        }
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
        return model;
    }

    /** The plan file that runs (for an ONNX file, its engine in the engine cache). */
    public Path planPath() {
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

    /** The end of the plan's batch range (its optimization profile). */
    @Override
    public int maxBatch() {
        return manifest.batch().max();
    }

    /** The plan's manifest. */
    public PlanManifest manifest() {
        return manifest;
    }

    /** The GPU ordinal this backend runs on. */
    public int deviceId() {
        return device;
    }

    @Override
    public Map<String, FloatTensor> run(Map<String, FloatTensor> in) throws BackendException {
        checkInputs(in);
        return whileOpen(() -> {
            TrtContext c = take();
            try {
                return c.run(in);
            } finally {
                give(c);
            }
        });
    }

    /**
     * Binds inputs once for the benchmark's loop on a context of their own: they are copied into pinned memory once,
     * and each run copies them to the GPU, enqueues (or replays a CUDA graph of the enqueue, with
     * {@link BackendOptions#cudaGraph()}), copies the outputs back and synchronizes; its GPU compute time is measured
     * with CUDA events ({@link dev.vitrt.runtime.bench.GpuTimed}).
     */
    @Override
    public PreparedRun prepare(Map<String, FloatTensor> in) throws BackendException {
        checkInputs(in);
        return whileOpen(() -> {
            TrtContext c = take();
            try {
                c.bind(in);
                if (cudaGraph) {
                    c.captureGraph();
                }
            } catch (BackendException | RuntimeException e) {
                give(c);
                throw e;
            }
            return new TrtPreparedRun(this, c);
        });
    }

    /** Runs {@code task} on an open backend's GPU, excluding {@link #close()} while it runs. */
    <T> T whileOpen(RunGate.Task<T> task) throws BackendException {
        return gate.run(task);
    }

    private void checkInputs(Map<String, FloatTensor> in) {
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

    /**
     * A pooled context, a new one, or (with {@link BackendOptions#maxContexts()} in use) the next one given back; the
     * caller runs inside the gate ({@link #whileOpen}), on the backend's GPU.
     */
    TrtContext take() throws BackendException {
        return pool.take(this::newContext);
    }

    /** Returns a context to the pool. */
    void give(TrtContext c) {
        pool.give(c);
    }

    private TrtContext newContext() throws BackendException {
        synchronized (objects) {
            try (TrtLog.Operation log = TrtLog.begin(null)) {
                return new TrtContext(objects, engine, inputs, outputs, maxShapes, log);
            }
        }
    }

    /** Destroys a profiling context now. */
    private void discard(TrtContext c) {
        synchronized (objects) {
            if (profiling.remove(c)) {
                c.free(objects);
            }
        }
    }

    /**
     * TensorRT's own description of the engine's layers (IEngineInspector), one entry per layer: name, type,
     * tactic, input/output formats. {@code json} picks TensorRT's JSON format over its one-line format.
     */
    public List<String> engineLayers(boolean json) throws BackendException {
        return whileOpen(() -> {
            TrtContext c = take();
            try (TrtLog.Operation log = TrtLog.begin(null)) {
                IEngineInspector inspector;
                synchronized (objects) {
                    inspector = objects.own(Kind.ENGINE_INSPECTOR, engine.createEngineInspector(),
                            "an engine inspector", log.lastErrorOrNone());
                }
                try {
                    inspector.setExecutionContext(c.context());
                    LayerInformationFormat f = json ? LayerInformationFormat.kJSON : LayerInformationFormat.kONELINE;
                    List<String> out = new ArrayList<>();
                    for (int i = 0; i < engine.getNbLayers(); i++) {
                        out.add(inspector.getLayerInformation(i, f));
                    }
                    return out;
                } finally {
                    synchronized (objects) {
                        objects.destroy(inspector);
                    }
                }
            } catch (TensorRtException e) {
                throw new BackendException(e.getMessage(), e);
            } finally {
                give(c);
            }
        });
    }

    /**
     * Per-layer times need TensorRT to call an {@code IProfiler}; the JavaCPP presets do not let Java implement one,
     * so VitRT's native helper ({@link LayerTimes}) takes TensorRT's reports. Null when it is there, else why not.
     */
    @Override
    public String layerProfilingUnavailable() {
        String why = NativeTensorRt.load();
        return why == null ? null : "per-layer TensorRT times are not available: " + why;
    }

    /**
     * Profiled runs on their own execution context, so that plain runs stay unprofiled: the native collector is set
     * as the context's profiler, each run is enqueued, synchronized, then reported ({@code reportToProfiler}).
     */
    @Override
    public ProfiledRuns startProfiling(Map<String, FloatTensor> in) throws BackendException {
        String why = layerProfilingUnavailable();
        if (why != null) {
            throw new BackendException(why);
        }
        checkInputs(in);
        LayerTimes times = new LayerTimes();
        TrtContext c;
        try {
            c = whileOpen(() -> {
                TrtContext n = newContext();
                synchronized (objects) {
                    profiling.add(n);
                }
                n.context().setEnqueueEmitsProfile(false);
                n.context().setProfiler(new IProfiler(times.asProfiler()));
                return n;
            });
        } catch (BackendException | RuntimeException e) {
            times.close();
            throw e;
        }
        Set<ElementType> types = switch (manifest.precision()) {
            case "fp16" -> Set.of(ElementType.FLOAT16);
            case "int8" -> Set.of(ElementType.INT8);
            default -> Set.of(ElementType.FLOAT32);
        };
        LayerTimeAccumulator acc = new LayerTimeAccumulator();
        return new ProfiledRuns() {
            private boolean done;

            @Override
            public void run() throws BackendException {
                whileOpen(() -> {
                    times.clear();
                    long t0 = System.nanoTime();
                    try (TrtLog.Operation log = TrtLog.begin(null)) {
                        c.run(in);
                        if (!c.context().reportToProfiler()) {
                            throw new BackendException("TensorRT could not report layer times: "
                                    + log.lastErrorOrNone());
                        }
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
                    return null;
                });
            }

            @Override
            public LayerTimings finish(int lastRuns) {
                return acc.finish(lastRuns, types);
            }

            @Override
            public void close() {
                if (done) {
                    return;
                }
                done = true;
                try { // unless the backend's close destroyed the context already
                    gate.releaseUnlessClosed(() -> {
                        c.context().setProfiler(null);
                        discard(c);
                    });
                } finally {
                    times.close();
                }
            }
        };
    }

    /**
     * Waits for runs in flight, then frees every context's buffers and destroys the contexts, the engine and the
     * runtime, in that order; idempotent.
     */
    @Override
    public void close() {
        List<TrtContext> pooled = pool.close(); // callers waiting for a context give up instead of holding close up
        gate.close(() -> {
            synchronized (objects) {
                for (TrtContext c : pooled) {
                    c.free(objects);
                }
                for (TrtContext c : profiling) {
                    c.free(objects);
                }
                profiling.clear();
                objects.close();
            }
        });
    }
}
