package dev.vitrt.models.graph;

import dev.vitrt.runtime.ElementType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Graph} operator by operator, inferring static output shapes and naming every node
 * {@code <module path>/<op>} after the current scope (timm's module path, e.g. {@code stages.2.blocks.4.e_mhsa.q}).
 *
 * <p>Activations keep the batch as dimension 0. Reshape targets therefore write 0 ("copy") there, so the graph runs
 * at any batch when the writer declares the batch dynamic.
 */
public final class GraphBuilder {
    private final Graph graph;
    private final Deque<String> scopes = new ArrayDeque<>();
    private final Map<String, Integer> nodeNames = new HashMap<>();
    private final Map<String, Tensor> constants = new HashMap<>();
    private final Map<String, Tensor> patchTargets = new HashMap<>();

    public GraphBuilder(String name, int opset) {
        if (opset < 13) {
            throw new IllegalArgumentException("opset " + opset + " is not supported (13 or newer)");
        }
        this.graph = new Graph(name, opset);
    }

    public int opset() {
        return graph.opset;
    }

    public Graph graph() {
        return graph;
    }

    /**
     * Whether the input's height and width are symbolic: shapes here are then those of one nominal size, and the few
     * ops that would bake a spatial size into a constant compute it from the run-time shape instead
     * ({@link #reshapeFlat}, {@link #reshapeLike}, {@link #patchView}, {@link #resizeToMultiple}).
     */
    public boolean dynamicSize() {
        return graph.dynamicSize;
    }

    public void dynamicSize(boolean dynamic) {
        graph.dynamicSize = dynamic;
    }

    /** Fails with {@code what} needing a fixed size when the graph's size is dynamic. */
    public void requireStaticSize(String what) {
        if (graph.dynamicSize) {
            throw new IllegalArgumentException(what + " needs a fixed input size (export without a dynamic size)");
        }
    }

    // ---------------------------------------------------------------- scopes and names

    /** Enters a module scope; closing the returned handle leaves it. Nested scopes join with '.'. */
    public Scope scope(String module) {
        scopes.push(scopes.isEmpty() ? module : scopes.peek() + "." + module);
        return new Scope();
    }

    /** Enters an absolute module path (ignoring enclosing scopes). */
    public Scope absoluteScope(String path) {
        scopes.push(path);
        return new Scope();
    }

    /** Current module path ("" at top level). */
    public String path() {
        return scopes.isEmpty() ? "" : scopes.peek();
    }

    /** Handle that leaves its scope when closed. */
    public final class Scope implements AutoCloseable {
        @Override
        public void close() {
            scopes.pop();
        }
    }

    private String nodeName(String op) {
        String base = path().isEmpty() ? op : path() + "/" + op;
        int n = nodeNames.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + (n - 1);
    }

    // ---------------------------------------------------------------- inputs, outputs, constants

    public Tensor input(String name, ElementType dtype, long... shape) {
        Tensor t = new Tensor(name, dtype, shape);
        graph.inputs.add(t);
        return t;
    }

    /** Declares {@code t} a graph output under {@code name}, renaming the producing node's output. */
    public Tensor output(Tensor t, String name) {
        Tensor renamed = new Tensor(name, t.dtype(), t.shape());
        for (int i = 0; i < graph.nodes.size(); i++) {
            Node n = graph.nodes.get(i);
            if (n.outputs().contains(t.name()) || n.inputs().contains(t.name())) {
                graph.nodes.set(i, new Node(n.opType(), n.name(), rename(n.inputs(), t.name(), name),
                        rename(n.outputs(), t.name(), name), n.attributes(), n.domain()));
            }
        }
        graph.values.remove(t.name());
        graph.outputs.add(renamed);
        return renamed;
    }

    private static List<String> rename(List<String> names, String from, String to) {
        List<String> out = new ArrayList<>(names);
        out.replaceAll(s -> s.equals(from) ? to : s);
        return out;
    }

    /** A float32 initializer named {@code <scope>.<localName>} (timm's parameter naming). */
    public Tensor weight(String localName, long[] shape, float[] data) {
        String name = path().isEmpty() ? localName : path() + "." + localName;
        return initializer(name, shape, data);
    }

    /** A float32 initializer with an explicit full name. */
    public Tensor initializer(String name, long[] shape, float[] data) {
        if (Shapes.numel(shape) != data.length) {
            throw new IllegalArgumentException("initializer " + name + ": " + data.length + " values for shape " + Arrays.toString(shape));
        }
        if (graph.initializers.containsKey(name)) {
            throw new IllegalStateException("duplicate initializer " + name);
        }
        graph.initializers.put(name, Initializer.ofFloats(name, shape, data));
        return new Tensor(name, ElementType.FLOAT32, shape);
    }

    /** An int64 constant (shapes, axes), shared by value across the graph. */
    public Tensor constLongs(long... values) {
        String key = "i64:" + Arrays.toString(values);
        return constants.computeIfAbsent(key, k -> {
            String name = "const_i64_" + constants.size();
            graph.initializers.put(name, Initializer.ofLongs(name, new long[] {values.length}, values.clone()));
            return new Tensor(name, ElementType.INT64, values.length);
        });
    }

    /** A float32 scalar constant, shared by value across the graph. */
    public Tensor constScalar(float value) {
        String key = "f32:" + Float.floatToIntBits(value);
        return constants.computeIfAbsent(key, k -> {
            String name = "const_f32_" + constants.size();
            graph.initializers.put(name, Initializer.ofFloats(name, new long[0], new float[] {value}));
            return new Tensor(name, ElementType.FLOAT32);
        });
    }

    // ---------------------------------------------------------------- the generic node

    /** Adds a node with one output of the given type and shape. */
    public Tensor op(String opType, Map<String, Object> attrs, ElementType outType, long[] outShape, Tensor... inputs) {
        return ops(opType, attrs, new ElementType[] {outType}, new long[][] {outShape}, inputs)[0];
    }

    /** Adds a node with several outputs. A null input is an omitted optional input. */
    public Tensor[] ops(String opType, Map<String, Object> attrs, ElementType[] outTypes, long[][] outShapes, Tensor... inputs) {
        String name = nodeName(opType);
        List<String> in = new ArrayList<>();
        for (Tensor t : inputs) {
            in.add(t == null ? "" : t.name());
        }
        Tensor[] outs = new Tensor[outShapes.length];
        List<String> outNames = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            String on = outs.length == 1 ? name + "_output" : name + "_output_" + i;
            outs[i] = new Tensor(on, outTypes[i], outShapes[i]);
            outNames.add(on);
            graph.values.put(on, outs[i]);
        }
        graph.nodes.add(new Node(opType, name, in, outNames, attrs == null ? Map.of() : attrs));
        return outs;
    }

    private Tensor unary(String opType, Tensor x) {
        return op(opType, null, x.dtype(), x.shape(), x);
    }

    private Tensor binary(String opType, Tensor a, Tensor b) {
        return op(opType, null, a.dtype(), Shapes.broadcast(a.shape(), b.shape()), a, b);
    }

    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    private static long[] longs(int... v) {
        return Arrays.stream(v).asLongStream().toArray();
    }

    // ---------------------------------------------------------------- element-wise

    public Tensor relu(Tensor x) {
        return unary("Relu", x);
    }

    public Tensor sigmoid(Tensor x) {
        return unary("Sigmoid", x);
    }

    public Tensor erf(Tensor x) {
        return unary("Erf", x);
    }

    public Tensor sqrt(Tensor x) {
        return unary("Sqrt", x);
    }

    public Tensor exp(Tensor x) {
        return unary("Exp", x);
    }

    public Tensor tanh(Tensor x) {
        return unary("Tanh", x);
    }

    public Tensor hardSwish(Tensor x) {
        return unary("HardSwish", x);
    }

    public Tensor hardSigmoid(Tensor x, float alpha, float beta) {
        return op("HardSigmoid", attrs("alpha", alpha, "beta", beta), x.dtype(), x.shape(), x);
    }

    public Tensor clip(Tensor x, float min, float max) {
        return op("Clip", null, x.dtype(), x.shape(), x, constScalar(min), constScalar(max));
    }

    /** SiLU / Swish: x * sigmoid(x) (ONNX Runtime fuses the pair). */
    public Tensor silu(Tensor x) {
        return mul(x, sigmoid(x));
    }

    /** Exact (erf) GELU as the three ops ONNX Runtime and TensorRT recognise and fuse. */
    public Tensor gelu(Tensor x) {
        Tensor e = erf(div(x, constScalar((float) Math.sqrt(2.0))));
        return mul(mul(x, add(e, constScalar(1f))), constScalar(0.5f));
    }

    public Tensor add(Tensor a, Tensor b) {
        return binary("Add", a, b);
    }

    public Tensor sub(Tensor a, Tensor b) {
        return binary("Sub", a, b);
    }

    public Tensor mul(Tensor a, Tensor b) {
        return binary("Mul", a, b);
    }

    public Tensor div(Tensor a, Tensor b) {
        return binary("Div", a, b);
    }

    public Tensor pow(Tensor a, Tensor b) {
        return binary("Pow", a, b);
    }

    public Tensor cast(Tensor x, ElementType to) {
        return op("Cast", attrs("to", (long) to.onnxCode()), to, x.shape(), x);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * 2-D convolution, NCHW. {@code pads} is {top, left, bottom, right} or a single symmetric value;
     * weight is [out, in/group, kh, kw].
     */
    public Tensor conv(Tensor x, Tensor w, Tensor bias, int[] stride, int[] pads, int[] dilation, int group) {
        long[] xs = x.shape();
        long[] ws = w.shape();
        if (xs[1] != ws[1] * group) {
            throw new IllegalArgumentException("conv at " + path() + ": input has " + xs[1] + " channels, weight expects "
                    + ws[1] * group);
        }
        int[] p = pads.length == 1 ? new int[] {pads[0], pads[0], pads[0], pads[0]} : pads;
        int[] d = dilation == null ? new int[] {1, 1} : dilation;
        long h = Shapes.window(xs[2], ws[2], stride[0], p[0], p[2], d[0], false);
        long wd = Shapes.window(xs[3], ws[3], stride[1], p[1], p[3], d[1], false);
        Map<String, Object> a = attrs("dilations", longs(d), "group", (long) group,
                "kernel_shape", new long[] {ws[2], ws[3]}, "pads", longs(p), "strides", longs(stride));
        return op("Conv", a, x.dtype(), new long[] {xs[0], ws[0], h, wd}, bias == null ? new Tensor[] {x, w}
                : new Tensor[] {x, w, bias});
    }

    /** N-D matrix product with numpy broadcasting of the leading dims. */
    public Tensor matMul(Tensor a, Tensor b) {
        long[] as = a.shape();
        long[] bs = b.shape();
        if (as[as.length - 1] != bs[bs.length - 2]) {
            throw new IllegalArgumentException("matmul at " + path() + ": " + Arrays.toString(as) + " x " + Arrays.toString(bs));
        }
        long[] lead = Shapes.broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        long[] out = Arrays.copyOf(lead, lead.length + 2);
        out[lead.length] = as[as.length - 2];
        out[lead.length + 1] = bs[bs.length - 1];
        return op("MatMul", null, a.dtype(), out, a, b);
    }

    /** Gemm y = x W^T + b with x [M, K] and W [N, K] (PyTorch's Linear layout). */
    public Tensor gemm(Tensor x, Tensor w, Tensor bias) {
        if (x.rank() != 2 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("gemm at " + path() + ": " + x + " x " + w + "^T");
        }
        return op("Gemm", attrs("transB", 1L), x.dtype(), new long[] {x.dim(0), w.dim(0)},
                bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias});
    }

    public Tensor softmax(Tensor x, int axis) {
        return op("Softmax", attrs("axis", (long) axis), x.dtype(), x.shape(), x);
    }

    // ---------------------------------------------------------------- shape ops

    /** Reshape keeping the batch: dimension 0 of the target must equal the input's and is written as 0. */
    public Tensor reshape(Tensor x, long... shape) {
        if (shape.length == 0 || (shape[0] != x.dim(0) && shape[0] != 0)) {
            throw new IllegalArgumentException("reshape at " + path() + " must keep the batch as dim 0: " + x + " -> "
                    + Arrays.toString(shape));
        }
        long[] target = shape.clone();
        target[0] = 0;
        long[] out = Shapes.reshape(x.shape(), target);
        return op("Reshape", null, x.dtype(), out, x, constLongs(target));
    }

    /**
     * Reshape whose dimension {@code sizeAxis} of the target depends on the input's height and width (e.g. the number
     * of tokens H*W): written as given at a fixed size, as -1 (inferred) at a dynamic one.
     */
    public Tensor reshapeFlat(Tensor x, int sizeAxis, long... shape) {
        if (!graph.dynamicSize) {
            return reshape(x, shape);
        }
        long[] target = shape.clone();
        target[sizeAxis] = -1;
        return reshape(x, target);
    }

    /** Reshape of {@code x} to the shape of {@code like} (same element count), at any size. */
    public Tensor reshapeLike(Tensor x, Tensor like) {
        if (!graph.dynamicSize) {
            return reshape(x, like.shape());
        }
        Shapes.reshape(x.shape(), like.shape()); // checks the element count at the nominal size
        return op("Reshape", null, x.dtype(), like.shape(), x, shapeSlice(like, 0, like.rank()));
    }

    /**
     * The view [B, C, H/ph, ph, W/pw, pw] of an NCHW tensor (a free reshape), whose H and W are those of {@code ref}:
     * at a dynamic size the target comes from {@code ref}'s run-time shape, computed once per reference.
     */
    public Tensor patchView(Tensor x, Tensor ref, int ph, int pw) {
        long nh = x.dim(2) / ph;
        long nw = x.dim(3) / pw;
        if (!graph.dynamicSize) {
            return reshape(x, x.dim(0), x.dim(1), nh, ph, nw, pw);
        }
        Tensor target = patchTargets.computeIfAbsent(ref.name() + "/" + ph + "x" + pw, k -> {
            Tensor columns = div(shapeSlice(ref, 3, 4), constLongs(pw));
            return op("Concat", attrs("axis", 0L), ElementType.INT64, new long[] {6}, constLongs(0, 0, -1, ph), columns,
                    constLongs(pw));
        });
        return op("Reshape", null, x.dtype(), new long[] {x.dim(0), x.dim(1), nh, ph, nw, pw}, x, target);
    }

    public Tensor transpose(Tensor x, int... perm) {
        long[] in = x.shape();
        long[] out = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = in[perm[i]];
        }
        return op("Transpose", attrs("perm", longs(perm)), x.dtype(), out, x);
    }

    /** Flatten to [batch, rest]. */
    public Tensor flatten(Tensor x) {
        return op("Flatten", attrs("axis", 1L), x.dtype(), new long[] {x.dim(0), x.numel() / x.dim(0)}, x);
    }

    public Tensor concat(int axis, Tensor... xs) {
        int a = Shapes.axis(axis, xs[0].rank());
        long[] out = xs[0].shape();
        out[a] = 0;
        for (Tensor t : xs) {
            out[a] += t.dim(a);
        }
        return op("Concat", attrs("axis", (long) a), xs[0].dtype(), out, xs);
    }

    /** Splits along {@code axis} into pieces of the given sizes. */
    public Tensor[] split(Tensor x, int axis, long... sizes) {
        int a = Shapes.axis(axis, x.rank());
        if (Arrays.stream(sizes).sum() != x.dim(a)) {
            throw new IllegalArgumentException("split sizes " + Arrays.toString(sizes) + " do not add up to " + x.dim(a));
        }
        long[][] shapes = new long[sizes.length][];
        ElementType[] types = new ElementType[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            shapes[i] = x.shape();
            shapes[i][a] = sizes[i];
            types[i] = x.dtype();
        }
        if (graph.opset >= 13) {
            return ops("Split", attrs("axis", (long) a), types, shapes, x, constLongs(sizes));
        }
        return ops("Split", attrs("axis", (long) a, "split", sizes), types, shapes, x);
    }

    /** Slice [start, end) along one axis with step 1. */
    public Tensor slice(Tensor x, int axis, long start, long end) {
        int a = Shapes.axis(axis, x.rank());
        long[] out = x.shape();
        out[a] = Math.min(end, x.dim(a)) - start;
        return op("Slice", null, x.dtype(), out, x, constLongs(start), constLongs(end), constLongs(a));
    }

    // ---------------------------------------------------------------- pooling and reductions

    public Tensor averagePool(Tensor x, int[] kernel, int[] stride, int[] pads, boolean ceil, boolean countIncludePad) {
        return pool("AveragePool", x, kernel, stride, pads, ceil, attrs("count_include_pad", countIncludePad ? 1L : 0L));
    }

    public Tensor maxPool(Tensor x, int[] kernel, int[] stride, int[] pads, boolean ceil) {
        return pool("MaxPool", x, kernel, stride, pads, ceil, attrs());
    }

    private Tensor pool(String opType, Tensor x, int[] kernel, int[] stride, int[] pads, boolean ceil, Map<String, Object> a) {
        int[] p = pads.length == 1 ? new int[] {pads[0], pads[0], pads[0], pads[0]} : pads;
        long[] xs = x.shape();
        long[] out = xs.clone();
        for (int i = 0; i < kernel.length; i++) {
            out[2 + i] = Shapes.window(xs[2 + i], kernel[i], stride[i], p[i], p[i + kernel.length], 1, ceil);
        }
        a.put("ceil_mode", ceil ? 1L : 0L);
        a.put("kernel_shape", longs(kernel));
        a.put("pads", longs(p));
        a.put("strides", longs(stride));
        return op(opType, a, x.dtype(), out, x);
    }

    public Tensor globalAveragePool(Tensor x) {
        long[] out = x.shape();
        for (int i = 2; i < out.length; i++) {
            out[i] = 1;
        }
        return op("GlobalAveragePool", null, x.dtype(), out, x);
    }

    public Tensor reduceMean(Tensor x, boolean keepDims, int... axes) {
        return reduce("ReduceMean", x, keepDims, axes);
    }

    public Tensor reduceSum(Tensor x, boolean keepDims, int... axes) {
        return reduce("ReduceSum", x, keepDims, axes);
    }

    public Tensor reduceMax(Tensor x, boolean keepDims, int... axes) {
        return reduce("ReduceMax", x, keepDims, axes);
    }

    private Tensor reduce(String opType, Tensor x, boolean keepDims, int... axes) {
        long[] in = x.shape();
        boolean[] reduced = new boolean[in.length];
        long[] norm = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = Shapes.axis(axes[i], in.length);
            reduced[a] = true;
            norm[i] = a;
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            if (!reduced[i]) {
                out.add(in[i]);
            } else if (keepDims) {
                out.add(1L);
            }
        }
        long[] os = out.stream().mapToLong(Long::longValue).toArray();
        // ReduceSum takes axes as an input from opset 13, the other reductions from opset 18
        boolean axesInput = opType.equals("ReduceSum") ? graph.opset >= 13 : graph.opset >= 18;
        if (axesInput) {
            return op(opType, attrs("keepdims", keepDims ? 1L : 0L), x.dtype(), os, x, constLongs(norm));
        }
        return op(opType, attrs("axes", norm, "keepdims", keepDims ? 1L : 0L), x.dtype(), os, x);
    }

    // ---------------------------------------------------------------- normalisation and resizing

    /**
     * Layer normalisation over the trailing dimensions from {@code axis}: LayerNormalization from opset 17,
     * the equivalent decomposition before (which ONNX Runtime fuses back).
     */
    public Tensor layerNorm(Tensor x, Tensor scale, Tensor bias, int axis, float eps) {
        int a = Shapes.axis(axis, x.rank());
        if (graph.opset >= 17) {
            return op("LayerNormalization", attrs("axis", (long) a, "epsilon", eps), x.dtype(), x.shape(), x, scale, bias);
        }
        int[] axes = new int[x.rank() - a];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = a + i;
        }
        Tensor mean = reduceMean(x, true, axes);
        Tensor centered = sub(x, mean);
        Tensor var = reduceMean(mul(centered, centered), true, axes);
        Tensor normed = div(centered, sqrt(add(var, constScalar(eps))));
        return add(mul(normed, scale), bias);
    }

    /** Inference BatchNormalization, for the few places where it cannot be folded into a neighbour. */
    public Tensor batchNorm(Tensor x, Tensor scale, Tensor bias, Tensor mean, Tensor var, float eps) {
        return op("BatchNormalization", attrs("epsilon", eps), x.dtype(), x.shape(), x, scale, bias, mean, var);
    }

    /**
     * Dimensions [start, end) of {@code x}'s run-time shape as an int64 vector: Shape's start/end attributes from opset
     * 15, a Slice of the whole shape before (those attributes do not exist there).
     */
    public Tensor shapeSlice(Tensor x, int start, int end) {
        long[] out = {end - start};
        if (start == 0 && end == x.rank()) {
            return op("Shape", null, ElementType.INT64, out, x);
        }
        if (graph.opset >= 15) {
            return op("Shape", attrs("start", start == 0 ? null : (long) start, "end", (long) end), ElementType.INT64, out, x);
        }
        Tensor shape = op("Shape", null, ElementType.INT64, new long[] {x.rank()}, x);
        return op("Slice", null, ElementType.INT64, out, shape, constLongs(start), constLongs(end), constLongs(0));
    }

    /**
     * Bilinear (align-corners) resize of an NCHW tensor up to the next multiple of {@code m} in H and W, as timm's
     * MobileViT blocks do: only where needed at a fixed size; always at a dynamic one, to sizes computed at run time
     * (a resize to the same size is then an exact copy).
     */
    public Tensor resizeToMultiple(Tensor x, int m) {
        long newH = (x.dim(2) + m - 1) / m * m;
        long newW = (x.dim(3) + m - 1) / m * m;
        if (!graph.dynamicSize) {
            return newH == x.dim(2) && newW == x.dim(3) ? x : resize(x, newH, newW, "linear", "align_corners");
        }
        Tensor shape = shapeSlice(x, 0, 4);
        Tensor up = div(add(shape, constLongs(0, 0, m - 1, m - 1)), constLongs(1, 1, m, m));
        Tensor sizes = mul(up, constLongs(1, 1, m, m));
        return op("Resize", attrs("coordinate_transformation_mode", "align_corners", "mode", "linear"), x.dtype(),
                new long[] {x.dim(0), x.dim(1), newH, newW}, x, null, null, sizes);
    }

    /** Resize of the spatial dims of an NCHW tensor to a fixed size ("linear" or "nearest" or "cubic"). */
    public Tensor resize(Tensor x, long outH, long outW, String mode, String coordinateMode) {
        long[] out = {x.dim(0), x.dim(1), outH, outW};
        Map<String, Object> a = attrs("coordinate_transformation_mode", coordinateMode, "mode", mode);
        if (mode.equals("nearest")) {
            a.put("nearest_mode", "floor");
        }
        // sizes must include the batch, so it is computed at run time from the input's shape
        Tensor batchAndChannels = shapeSlice(x, 0, 2);
        Tensor sizes = op("Concat", attrs("axis", 0L), ElementType.INT64, new long[] {4}, batchAndChannels, constLongs(outH, outW));
        return op("Resize", a, x.dtype(), out, x, null, null, sizes);
    }
}
