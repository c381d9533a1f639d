package dev.vitrt.tensorrt;

import static dev.vitrt.tensorrt.Cuda.check;
import static org.bytedeco.cuda.global.cudart.cudaEventCreate;
import static org.bytedeco.cuda.global.cudart.cudaEventDestroy;
import static org.bytedeco.cuda.global.cudart.cudaEventElapsedTime;
import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaGetLastError;
import static org.bytedeco.cuda.global.cudart.cudaGraphDestroy;
import static org.bytedeco.cuda.global.cudart.cudaGraphExecDestroy;
import static org.bytedeco.cuda.global.cudart.cudaGraphInstantiate;
import static org.bytedeco.cuda.global.cudart.cudaGraphLaunch;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamBeginCapture;
import static org.bytedeco.cuda.global.cudart.cudaStreamCaptureModeThreadLocal;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamEndCapture;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.tensorrt.TrtObjects.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUgraphExec_st;
import org.bytedeco.cuda.cudart.CUgraph_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;

/**
 * One caller's execution context with its CUDA stream, timing events, device buffers and pinned host buffers (sized
 * for the profile's largest batch), and optionally a CUDA graph of its enqueue. Used by one thread at a time; the
 * caller runs inside the backend's gate (RunGate: its GPU current, close excluded).
 */
final class TrtContext {
    private final IExecutionContext ctx;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final CUstream_st stream = new CUstream_st();
    private final CUevent_st start = new CUevent_st();
    private final CUevent_st stop = new CUevent_st();
    private final Map<String, Pointer> deviceBuf = new LinkedHashMap<>();
    private final Map<String, FloatPointer> hostBuf = new LinkedHashMap<>();
    private final List<Runnable> frees = new ArrayList<>();
    private final float[] elapsed = new float[1];
    /** Shapes of the inputs bound by {@link #bind}; null when none are bound. */
    private Map<String, long[]> bound;
    private CUgraph_st graph;
    private CUgraphExec_st graphExec;
    private String graphNote;

    /**
     * Creates the context (owned by {@code objects}) and its stream, events and buffers; on failure everything made
     * so far is released.
     */
    TrtContext(TrtObjects objects, ICudaEngine engine, List<TensorSpec> inputs, List<TensorSpec> outputs,
               Map<String, long[]> maxShapes, TrtLog.Operation log) throws BackendException {
        this.inputs = inputs;
        this.outputs = outputs;
        try {
            ctx = objects.own(Kind.EXECUTION_CONTEXT, engine.createExecutionContext(), "an execution context",
                    log.lastErrorOrNone());
        } catch (TensorRtException e) {
            throw new BackendException(e.getMessage(), e);
        }
        try {
            check(cudaStreamCreateWithFlags(stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
            frees.add(() -> cudaStreamDestroy(stream));
            check(cudaEventCreate(start), "cudaEventCreate");
            frees.add(() -> cudaEventDestroy(start));
            check(cudaEventCreate(stop), "cudaEventCreate");
            frees.add(() -> cudaEventDestroy(stop));
            for (TensorSpec s : inputs) {
                setShape(s.name(), maxShapes.get(s.name()), log);
            }
            for (TensorSpec s : inputs) {
                allocate(s.name(), count(maxShapes.get(s.name())));
            }
            for (TensorSpec s : outputs) {
                allocate(s.name(), count(TrtTypes.dims(ctx.getTensorShape(s.name()))));
            }
        } catch (BackendException | RuntimeException e) {
            free(objects);
            throw e;
        }
    }

    IExecutionContext context() {
        return ctx;
    }

    private void setShape(String name, long[] shape, TrtLog.Operation log) throws BackendException {
        if (!ctx.setInputShape(name, TrtTypes.dims(shape))) {
            throw new BackendException("TensorRT refused shape " + FloatTensor.shapeString(shape) + " for input '"
                    + name + "': " + log.lastErrorOrNone());
        }
    }

    private void allocate(String name, long elements) throws BackendException {
        Pointer d = new Pointer();
        check(cudaMalloc(d, elements * 4), "cudaMalloc of " + elements * 4 + " bytes for '" + name + "'");
        frees.add(() -> cudaFree(d));
        deviceBuf.put(name, d);
        Pointer h = new Pointer();
        check(cudaMallocHost(h, elements * 4), "cudaMallocHost of " + elements * 4 + " bytes for '" + name + "'");
        FloatPointer hf = new FloatPointer(h).capacity(elements);
        frees.add(() -> cudaFreeHost(hf.position(0)));
        hostBuf.put(name, hf);
        if (!ctx.setTensorAddress(name, d)) {
            throw new BackendException("TensorRT refused the buffer of '" + name + "'");
        }
    }

    /** Copies {@code in} into the pinned buffers and sets the input shapes; a bound graph is dropped. */
    private void stage(Map<String, FloatTensor> in, TrtLog.Operation log) throws BackendException {
        for (TensorSpec s : inputs) {
            FloatTensor t = in.get(s.name());
            setShape(s.name(), t.shape(), log);
            hostBuf.get(s.name()).position(0).put(t.data(), 0, t.data().length);
        }
    }

    /** A run on arbitrary inputs: stage, copy in, enqueue, copy out, synchronize, read the outputs. */
    Map<String, FloatTensor> run(Map<String, FloatTensor> in) throws BackendException {
        try (TrtLog.Operation log = TrtLog.begin(null)) {
            dropGraph();
            bound = null;
            stage(in, log);
            Map<String, long[]> shapes = execute(in, false, log);
            return read(shapes);
        }
    }

    /** Binds inputs for repeated {@link #runBound} calls (the benchmark's loop). */
    void bind(Map<String, FloatTensor> in) throws BackendException {
        try (TrtLog.Operation log = TrtLog.begin(null)) {
            dropGraph();
            stage(in, log);
            Map<String, long[]> shapes = new LinkedHashMap<>();
            in.forEach((k, v) -> shapes.put(k, v.shape()));
            bound = shapes;
            // TensorRT does shape-dependent set-up on the first enqueue after a shape change: do it before any timing
            // and before a graph capture, which must not see it
            execute(shapes, false, log);
        }
    }

    /**
     * Captures the enqueue of the bound inputs as a CUDA graph (as trtexec does); where capture is not possible the
     * runs enqueue directly and {@link #graphNote()} says why.
     */
    void captureGraph() {
        if (bound == null) {
            throw new IllegalStateException("bind inputs before capturing a graph");
        }
        try (TrtLog.Operation log = TrtLog.begin(null)) {
            CUgraph_st g = new CUgraph_st();
            int err = cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal);
            if (err != cudaSuccess) {
                graphNote = "cudaStreamBeginCapture failed (" + Cuda.errorName(err) + ")";
                cudaGetLastError();
                return;
            }
            boolean enqueued = ctx.enqueueV3(stream);
            err = cudaStreamEndCapture(stream, g);
            if (!enqueued || err != cudaSuccess || g.isNull()) {
                graphNote = "the enqueue could not be captured in a CUDA graph ("
                        + (!enqueued ? "enqueueV3: " + log.lastErrorOrNone() : Cuda.errorName(err)) + ")";
                if (!g.isNull()) {
                    cudaGraphDestroy(g);
                }
                cudaGetLastError();
                return;
            }
            CUgraphExec_st exec = new CUgraphExec_st();
            err = cudaGraphInstantiate(exec, g, 0L);
            if (err != cudaSuccess) {
                graphNote = "cudaGraphInstantiate failed (" + Cuda.errorName(err) + ")";
                cudaGraphDestroy(g);
                cudaGetLastError();
                return;
            }
            graph = g;
            graphExec = exec;
            graphNote = null;
        }
    }

    /** Whether runs of the bound inputs replay a CUDA graph. */
    boolean usesGraph() {
        return graphExec != null;
    }

    /** Why a graph was asked for and is not used, or null. */
    String graphNote() {
        return graphNote;
    }

    /**
     * One run of the bound inputs: copy in, enqueue or launch the graph between two timing events, copy out,
     * synchronize.
     *
     * @param outputs whether to read the outputs into Java arrays (else they stay in pinned memory)
     * @return the outputs, or null without {@code outputs}
     */
    Map<String, FloatTensor> runBound(boolean outputs) throws BackendException {
        if (bound == null) {
            throw new IllegalStateException("no inputs bound");
        }
        try (TrtLog.Operation log = TrtLog.begin(null)) {
            Map<String, long[]> shapes = execute(bound, true, log);
            return outputs ? read(shapes) : null;
        }
    }

    /** GPU compute time of the last timed run (the events around the enqueue), in ms. */
    double lastComputeMs() throws BackendException {
        check(cudaEventElapsedTime(elapsed, start, stop), "cudaEventElapsedTime");
        return elapsed[0];
    }

    /**
     * Copies the staged inputs in ({@code in} gives the element counts; null skips copies), enqueues (or launches the
     * graph when {@code timed}), copies the outputs out and synchronizes. Returns the output shapes.
     */
    private Map<String, long[]> execute(Map<String, ?> in, boolean timed, TrtLog.Operation log)
            throws BackendException {
        if (in != null) {
            for (TensorSpec s : inputs) {
                long n = count(shapeOf(in.get(s.name())));
                check(cudaMemcpyAsync(deviceBuf.get(s.name()), hostBuf.get(s.name()).position(0), 4L * n,
                        cudaMemcpyHostToDevice, stream), "copy of '" + s.name() + "' to the GPU");
            }
        }
        if (timed) {
            check(cudaEventRecord(start, stream), "cudaEventRecord");
        }
        if (timed && graphExec != null) {
            check(cudaGraphLaunch(graphExec, stream), "cudaGraphLaunch");
        } else if (!ctx.enqueueV3(stream)) {
            throw new BackendException("TensorRT enqueueV3 failed: " + log.lastErrorOrNone());
        }
        if (timed) {
            check(cudaEventRecord(stop, stream), "cudaEventRecord");
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (TensorSpec s : outputs) {
            long[] shape = TrtTypes.dims(ctx.getTensorShape(s.name()));
            shapes.put(s.name(), shape);
            if (in != null) {
                check(cudaMemcpyAsync(hostBuf.get(s.name()).position(0), deviceBuf.get(s.name()), 4L * count(shape),
                        cudaMemcpyDeviceToHost, stream), "copy of '" + s.name() + "' from the GPU");
            }
        }
        check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        return shapes;
    }

    private static long[] shapeOf(Object v) {
        return v instanceof FloatTensor t ? t.shape() : (long[]) v;
    }

    private Map<String, FloatTensor> read(Map<String, long[]> shapes) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            float[] data = new float[Math.toIntExact(count(e.getValue()))];
            hostBuf.get(e.getKey()).position(0).get(data);
            out.put(e.getKey(), new FloatTensor(e.getValue(), data));
        }
        return out;
    }

    private void dropGraph() {
        if (graphExec != null) {
            cudaGraphExecDestroy(graphExec);
            graphExec = null;
        }
        if (graph != null) {
            cudaGraphDestroy(graph);
            graph = null;
        }
    }

    /** Frees the graph, buffers, events and stream, then destroys the execution context. */
    void free(TrtObjects objects) {
        dropGraph();
        for (int i = frees.size() - 1; i >= 0; i--) {
            frees.get(i).run();
        }
        frees.clear();
        if (!ctx.isNull()) {
            objects.destroy(ctx);
        }
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= Math.max(d, 0);
        }
        return n;
    }
}
