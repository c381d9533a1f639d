package dev.vitrt.engine.precision;

import dev.vitrt.models.onnx.Float16;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.models.onnx.OnnxTensors;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lowers an FP32 ONNX graph to FP16 for a strongly typed TensorRT build: float32 weights become float16, intermediate
 * tensors become float16, and a fixed set of ops whose accuracy suffers in half precision run in float32 with Casts
 * around them. Graph inputs and outputs stay float32 by default (a Cast at each edge).
 *
 * <p>Ops kept in float32 ({@link #DEFAULT_FLOAT32_OPS}), and why:
 * <ul>
 *   <li>normalisation and its statistics ({@code LayerNormalization}, {@code InstanceNormalization},
 *       {@code GroupNormalization}, the {@code Reduce*} family, {@code Pow}, {@code Sqrt}, {@code Reciprocal}): sums of
 *       squares overflow 65504 and lose digits when a mean is subtracted in half precision;</li>
 *   <li>exponentials ({@code Softmax}, {@code LogSoftmax}, {@code Exp}, {@code Log}): {@code exp(x)} overflows half
 *       precision for x &gt; 11;</li>
 *   <li>{@code CumSum}, {@code Range} (accumulate), {@code DynamicQuantizeLinear} (float32 only).</li>
 * </ul>
 * <p>An INT8 (Q/DQ) graph is lowered the same way around its quantized layers, which must stay fusible for TensorRT
 * (a {@code DequantizeLinear} feeding its Conv/MatMul/Gemm/Add directly, no Cast between them): from opset 19, where
 * {@code QuantizeLinear}/{@code DequantizeLinear} take float16 scales, their scales become float16 and the quantized
 * layers run in float16 like the rest; before opset 19 (scales are float32 there), and for a scale too small for
 * float16's normal range, the Q/DQ pair and the ops that consume the dequantized tensor stay float32, with a Cast to
 * float16 after them. Either way every tensor outside the quantized layers is float16, which a strongly typed network
 * would otherwise keep in float32.
 * Besides these, the arithmetic of a decomposed normalisation's statistics stays in float32: a {@code Div} by a
 * float32 result ({@code (x-mean)/std}), a {@code Sub} of a float32 {@code ReduceMean} ({@code x-mean}), a {@code Mul}
 * squaring a float32 tensor, and an {@code Add/Sub} whose non-constant inputs all come from float32 ops
 * ({@code var + eps}). The affine part after it ({@code * gamma + beta}) runs in float16, as a TensorRT normalisation
 * layer's output does; keeping it float32 would also make ONNX Runtime's LayerNorm fusion bind mixed types and refuse
 * the graph.
 *
 * <p>Existing Casts are kept sensible: a Cast to float32 of a floating tensor becomes a Cast to float16, and vanishes
 * when its input is already float16 (a graph that stores float16 weights with a Cast back to float32 ends up using the
 * float16 weights directly). Casts from integers stay as they are. Weights beyond the float16 range are clamped to
 * +-65504 (counted in the report). Graphs with control flow (subgraphs) or external weight data are refused.
 */
public final class Fp16Lowering {
    /** The ops kept in float32 unless the caller chooses otherwise. */
    public static final Set<String> DEFAULT_FLOAT32_OPS = Set.of(
            "LayerNormalization", "InstanceNormalization", "GroupNormalization", "LpNormalization",
            "MeanVarianceNormalization",
            "ReduceMean", "ReduceSum", "ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
            "ReduceProd", "Pow", "Sqrt", "Reciprocal",
            "Softmax", "LogSoftmax", "Exp", "Log",
            "CumSum", "Range", "DynamicQuantizeLinear");

    /** The first opset whose QuantizeLinear and DequantizeLinear accept float16 scales. */
    public static final int FLOAT16_SCALES_OPSET = 19;
    /** Smallest normal float16 value (2^-14): a smaller scale would lose its precision or vanish in float16. */
    private static final float FLOAT16_MIN_NORMAL = 6.1035156e-5f;

    private static final int F32 = DataType.FLOAT_VALUE;
    private static final int F16 = DataType.FLOAT16_VALUE;

    /**
     * How to lower.
     *
     * @param float16Io  make graph inputs and outputs float16 too (no Casts at the edges)
     * @param float32Ops ops kept in float32
     */
    public record Options(boolean float16Io, Set<String> float32Ops) {
        public Options {
            float32Ops = Set.copyOf(float32Ops);
        }

        /** Float32 inputs/outputs, {@link #DEFAULT_FLOAT32_OPS} kept in float32. */
        public static Options defaults() {
            return new Options(false, DEFAULT_FLOAT32_OPS);
        }
    }

    /**
     * What the lowering did.
     *
     * @param initializersToFp16 float32 weights stored as float16
     * @param initializersFp32   weights left (or copied) in float32 for ops kept in float32
     * @param castsInserted      Casts added between float16 and float32 regions and at the edges
     * @param castsRemoved       existing Casts made redundant (float16 to float16)
     * @param float32Nodes       nodes kept in float32, by op type
     * @param weightsClamped     weight values beyond +-65504, clamped
     * @param weightsFlushed     non-zero weight values that round to zero in float16
     * @param qdqNodes           QuantizeLinear/DequantizeLinear nodes in the graph
     * @param qdqFloat16         of those, how many run with float16 scales
     */
    public record Report(int initializersToFp16, int initializersFp32, int castsInserted, int castsRemoved,
                         Map<String, Integer> float32Nodes, long weightsClamped, long weightsFlushed, int qdqNodes,
                         int qdqFloat16) {
        /** One line for logs. */
        public String summary() {
            int kept = float32Nodes.values().stream().mapToInt(Integer::intValue).sum();
            return String.format("fp16: %d weights to float16, %d kept float32, %d casts inserted, %d removed, "
                            + "%d nodes kept float32 %s, %d weight values clamped, %d flushed to zero%s",
                    initializersToFp16, initializersFp32, castsInserted, castsRemoved, kept, float32Nodes,
                    weightsClamped, weightsFlushed, qdqNodes == 0 ? ""
                            : String.format("; %d of %d Q/DQ nodes with float16 scales", qdqFloat16, qdqNodes));
        }
    }

    /** The lowered model and what was done to it. */
    public record Result(ModelProto model, Report report) {
    }

    private enum Mode { FP16, FP32, PASS }

    private Fp16Lowering() {
    }

    /** Lowers with the default options. */
    public static Result lower(ModelProto model) {
        return lower(model, Options.defaults());
    }

    /**
     * Lowers {@code model} to FP16.
     *
     * @throws IllegalArgumentException naming the node or initializer when the graph cannot be lowered
     */
    public static Result lower(ModelProto model, Options options) {
        return new Run(model, options).run();
    }

    /** State of one lowering. */
    private static final class Run {
        private final ModelProto model;
        private final Options options;
        private final GraphProto graph;
        private final Map<String, TensorProto> constants = new LinkedHashMap<>();
        private final List<NodeProto> nodes = new ArrayList<>();
        private TensorTypes orig;
        /** Element type each tensor has after lowering (only float tensors that changed or were checked). */
        private final Map<String, Integer> newType = new HashMap<>();
        private final Map<String, Mode> producerMode = new HashMap<>();
        private final Map<String, String> producerOp = new HashMap<>();
        private final Map<String, String> producerName = new HashMap<>();
        /** Aliases left by removed Casts: output name -> input name. */
        private final Map<String, String> alias = new HashMap<>();
        /** Requirements of each node: input index -> required element type. */
        private final List<Map<Integer, Integer>> required = new ArrayList<>();
        private final List<Mode> modes = new ArrayList<>();
        private final Set<String> usedNames = new HashSet<>();
        private final Map<String, Integer> float32Nodes = new TreeMap<>();
        private int castsRemoved;
        private int castsInserted;
        private int toFp16;
        private int keptFp32;
        private long clamped;
        private long flushed;
        private int qdqNodes;
        private int qdqFloat16;
        private final boolean float16Scales;

        Run(ModelProto model, Options options) {
            this.model = model;
            this.options = options;
            this.graph = model.getGraph();
            this.float16Scales = defaultOpset(model) >= FLOAT16_SCALES_OPSET;
        }

        Result run() {
            collect();
            orig = TensorTypes.infer(graph.toBuilder().clearNode().addAllNode(nodes)
                    .clearInitializer().addAllInitializer(constants.values()).build());
            for (ValueInfoProto in : graph.getInputList()) {
                if (!constants.containsKey(in.getName())) {
                    int t = orig.get(in.getName());
                    newType.put(in.getName(), t == F32 && options.float16Io() ? F16 : t);
                }
            }
            for (TensorProto c : constants.values()) {
                newType.put(c.getName(), c.getDataType());
            }
            for (NodeProto n : nodes) {
                decide(n);
            }
            return new Result(rebuild(), new Report(toFp16, keptFp32, castsInserted, castsRemoved,
                    float32Nodes, clamped, flushed, qdqNodes, qdqFloat16));
        }

        /** Gathers nodes, turns float Constant nodes into constants, refuses what cannot be lowered. */
        private void collect() {
            for (TensorProto init : graph.getInitializerList()) {
                if (init.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                    throw new IllegalArgumentException("FP16 lowering: initializer '" + init.getName()
                            + "' stores its data in an external file; load it into the model first");
                }
                constants.put(init.getName(), init);
            }
            for (NodeProto n : graph.getNodeList()) {
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.hasG() || a.getGraphsCount() > 0) {
                        throw new IllegalArgumentException("FP16 lowering: node '" + n.getName() + "' ("
                                + n.getOpType() + ") has a subgraph; control flow is not supported");
                    }
                }
                AttributeProto value = TensorTypes.attr(n, "value");
                if (n.getOpType().equals("Constant") && n.getDomain().isEmpty() && value != null
                        && isFloat(value.getT().getDataType()) && n.getOutputCount() == 1) {
                    constants.put(n.getOutput(0), value.getT().toBuilder().setName(n.getOutput(0)).build());
                    continue;
                }
                nodes.add(n);
            }
            for (NodeProto n : graph.getNodeList()) {
                usedNames.add(n.getName());
            }
        }

        private String resolve(String name) {
            String r = name;
            while (alias.containsKey(r)) {
                r = alias.get(r);
            }
            return r;
        }

        private int type(String tensor) {
            return newType.getOrDefault(tensor, orig.get(tensor));
        }

        /** Picks the node's precision, its inputs' required types and its outputs' new types. */
        private void decide(NodeProto n) {
            Mode mode = mode(n);
            Map<Integer, Integer> req = new HashMap<>();
            if (mode != Mode.PASS) {
                int want = mode == Mode.FP16 ? F16 : F32;
                for (int i = 0; i < n.getInputCount(); i++) {
                    String in = n.getInput(i);
                    if (!in.isEmpty() && isFloat16Or32(type(resolve(in))) && !freeInput(n, i)) {
                        req.put(i, want);
                    }
                }
            }
            if (mode == Mode.FP32) {
                float32Nodes.merge(n.getOpType(), 1, Integer::sum);
            }
            boolean redundantCast = false;
            if (isLoweredCast(n)) {
                redundantCast = type(resolve(n.getInput(0))) == F16;
            }
            for (int i = 0; i < n.getOutputCount(); i++) {
                String out = n.getOutput(i);
                if (out.isEmpty()) {
                    continue;
                }
                int t = orig.get(out);
                if (mode == Mode.FP16 && t == F32) {
                    t = F16;
                }
                newType.put(out, t);
                producerMode.put(out, mode);
                producerOp.put(out, n.getOpType());
                producerName.put(out, n.getName());
            }
            if (redundantCast && !isGraphOutput(n.getOutput(0))) {
                alias.put(n.getOutput(0), n.getInput(0));
                castsRemoved++;
                req = null; // marks the node as dropped
            }
            required.add(req);
            modes.add(mode);
        }

        private Mode mode(NodeProto n) {
            String op = n.getOpType();
            boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            if (op.equals("Cast") && defaultDomain) {
                return isLoweredCast(n) ? Mode.FP16 : Mode.PASS;
            }
            boolean floatData = false;
            for (int i = 0; i < n.getInputCount(); i++) {
                String in = n.getInput(i);
                if (!in.isEmpty() && !freeInput(n, i) && isFloat16Or32(orig.get(in))) {
                    floatData = true;
                }
            }
            if (defaultDomain && isQdq(op)) {
                qdqNodes++;
                if (float16Scales && scaleFitsFloat16(n)) {
                    qdqFloat16++;
                    return Mode.FP16;
                }
                return Mode.FP32;
            }
            if (!floatData) {
                return Mode.PASS;
            }
            if (defaultDomain && options.float32Ops().contains(op)) {
                return Mode.FP32;
            }
            if (consumesFloat32Dequantize(n)) {
                return Mode.FP32; // no Cast between a DequantizeLinear and the layer it quantizes
            }
            if (defaultDomain && keepsNormalisation(n)) {
                return Mode.FP32;
            }
            return Mode.FP16;
        }

        /** Whether an input comes straight from a DequantizeLinear kept in float32. */
        private boolean consumesFloat32Dequantize(NodeProto n) {
            for (String in : n.getInputList()) {
                String r = resolve(in);
                if (!in.isEmpty() && "DequantizeLinear".equals(producerOp.get(r)) && producerMode.get(r) == Mode.FP32) {
                    return true;
                }
            }
            return false;
        }

        /** Whether every value of a Q/DQ node's scale is a normal float16 number (or the scale is not a constant). */
        private boolean scaleFitsFloat16(NodeProto n) {
            if (n.getInputCount() < 2) {
                return false;
            }
            TensorProto scale = constants.get(resolve(n.getInput(1)));
            if (scale == null) {
                return false;
            }
            for (float v : OnnxTensors.floats(scale)) {
                if (!(Math.abs(v) >= FLOAT16_MIN_NORMAL && Math.abs(v) <= Float16.MAX_VALUE)) {
                    return false;
                }
            }
            return true;
        }

        /** Add/Sub/Mul/Div that belong to a normalisation's statistics computed in float32 (see the class comment). */
        private boolean keepsNormalisation(NodeProto n) {
            String op = n.getOpType();
            if (!Set.of("Add", "Sub", "Mul", "Div").contains(op) || n.getInputCount() != 2) {
                return false;
            }
            String a = resolve(n.getInput(0));
            String b = resolve(n.getInput(1));
            switch (op) {
                case "Div":
                    return producerMode.get(b) == Mode.FP32;
                case "Mul":
                    return a.equals(b) && producerMode.get(a) == Mode.FP32; // a square, as in x*x for a variance
                case "Sub":
                    if (producerMode.get(b) == Mode.FP32 && "ReduceMean".equals(producerOp.get(b))) {
                        return true;
                    }
                    break;
                default:
                    break;
            }
            // var + eps and the like: every non-constant input already float32
            int fromFp32 = 0;
            for (String in : List.of(a, b)) {
                if (constants.containsKey(in)) {
                    continue;
                }
                if (producerMode.get(in) != Mode.FP32) {
                    return false;
                }
                fromFp32++;
            }
            return fromFp32 > 0;
        }

        private boolean isLoweredCast(NodeProto n) {
            if (!n.getOpType().equals("Cast") || !(n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))) {
                return false;
            }
            AttributeProto to = TensorTypes.attr(n, "to");
            int src = orig.get(n.getInput(0));
            return to != null && to.getI() == F32 && isFloat(src);
        }

        /** Inputs whose type is free or fixed by the op, never lowered: Shape/Cast data, Resize roi and scales. */
        private static boolean freeInput(NodeProto n, int i) {
            switch (n.getOpType()) {
                case "Shape":
                case "Size":
                case "Cast":
                case "CastLike":
                    return i == 0;
                case "Resize":
                    return i == 1 || i == 2;
                case "Upsample":
                    return i == 1;
                default:
                    return false;
            }
        }

        private boolean isGraphOutput(String tensor) {
            for (ValueInfoProto o : graph.getOutputList()) {
                if (o.getName().equals(tensor)) {
                    return true;
                }
            }
            return false;
        }

        /** Builds the lowered model: converted constants, Casts after producers, renamed edges, updated types. */
        private ModelProto rebuild() {
            // 1. which types each constant is wanted in, and which (tensor, type) Casts are needed
            Map<String, Set<Integer>> constWants = new HashMap<>();
            Map<String, Set<Integer>> castWants = new LinkedHashMap<>();
            for (int k = 0; k < nodes.size(); k++) {
                Map<Integer, Integer> req = required.get(k);
                if (req == null) {
                    continue;
                }
                NodeProto n = nodes.get(k);
                for (Map.Entry<Integer, Integer> e : req.entrySet()) {
                    String in = resolve(n.getInput(e.getKey()));
                    if (constants.containsKey(in)) {
                        constWants.computeIfAbsent(in, x -> new HashSet<>()).add(e.getValue());
                    } else if (type(in) != e.getValue()) {
                        castWants.computeIfAbsent(in, x -> new HashSet<>()).add(e.getValue());
                    }
                }
            }
            // 2. constants: converted in place when all consumers agree, else a second copy
            Map<String, String> constVariant = new HashMap<>(); // name + "@" + type -> tensor name
            List<TensorProto> newConstants = new ArrayList<>();
            for (TensorProto c : constants.values()) {
                Set<Integer> wants = constWants.getOrDefault(c.getName(), Set.of());
                if (wants.isEmpty() || !isFloat16Or32(c.getDataType())) {
                    newConstants.add(c);
                    continue;
                }
                boolean first = true;
                for (int want : new java.util.TreeSet<>(wants)) {
                    String name = first ? c.getName() : uniqueTensor(c.getName() + (want == F16 ? "_fp16" : "_fp32"));
                    newConstants.add(convert(c, want, name));
                    constVariant.put(c.getName() + "@" + want, name);
                    newType.put(name, want);
                    if (first) {
                        newType.put(c.getName(), want);
                    }
                    first = false;
                }
            }
            // 3. graph outputs that became float16 are renamed inside and cast back at the edge
            Map<String, String> renamed = new HashMap<>();
            List<NodeProto> outputCasts = new ArrayList<>();
            for (ValueInfoProto o : graph.getOutputList()) {
                String name = o.getName();
                if (!options.float16Io() && orig.get(name) == F32 && type(name) == F16) {
                    String inner = uniqueTensor(name + "_fp16");
                    renamed.put(name, inner);
                    newType.put(inner, F16);
                    outputCasts.add(cast(inner, name, F32, prefix(producerName.get(name), name) + "/CastOutputToFp32"));
                }
            }
            // 4. emit nodes in order, each followed by the Casts of its outputs
            Map<String, String> castName = new HashMap<>(); // tensor + "@" + type -> cast output
            List<NodeProto> out = new ArrayList<>();
            for (ValueInfoProto in : graph.getInputList()) {
                // named after the module that reads the input, so that the Cast folds into that block (the stem)
                emitCasts(in.getName(), castWants, castName, renamed, out, firstReader(in.getName()));
            }
            for (int k = 0; k < nodes.size(); k++) {
                Map<Integer, Integer> req = required.get(k);
                if (req == null) {
                    continue; // redundant Cast, aliased away
                }
                NodeProto n = nodes.get(k);
                NodeProto.Builder b = n.toBuilder();
                for (int i = 0; i < n.getInputCount(); i++) {
                    String in = n.getInput(i);
                    if (in.isEmpty()) {
                        continue;
                    }
                    String r = resolve(in);
                    Integer want = req.get(i);
                    String use;
                    if (want != null && constants.containsKey(r)) {
                        use = constVariant.getOrDefault(r + "@" + want, r);
                    } else if (want != null && castName.containsKey(r + "@" + want)) {
                        use = castName.get(r + "@" + want);
                    } else {
                        use = renamed.getOrDefault(r, r);
                    }
                    b.setInput(i, use);
                }
                for (int i = 0; i < n.getOutputCount(); i++) {
                    b.setOutput(i, renamed.getOrDefault(n.getOutput(i), n.getOutput(i)));
                }
                if (isLoweredCast(n)) {
                    b.clearAttribute();
                    for (AttributeProto a : n.getAttributeList()) {
                        b.addAttribute(a.getName().equals("to") ? a.toBuilder().setI(F16).build() : a);
                    }
                }
                out.add(b.build());
                for (String o : n.getOutputList()) {
                    if (!o.isEmpty()) {
                        emitCasts(o, castWants, castName, renamed, out, n.getName());
                    }
                }
            }
            out.addAll(outputCasts);
            castsInserted += outputCasts.size();

            GraphProto.Builder g = graph.toBuilder().clearNode().addAllNode(out)
                    .clearInitializer().addAllInitializer(newConstants);
            // value_info: new element types, entries of removed tensors dropped
            g.clearValueInfo();
            for (ValueInfoProto v : graph.getValueInfoList()) {
                if (alias.containsKey(v.getName())) {
                    continue;
                }
                String name = renamed.getOrDefault(v.getName(), v.getName());
                g.addValueInfo(withType(v, name, type(v.getName())));
            }
            g.clearInput();
            for (ValueInfoProto v : graph.getInputList()) {
                g.addInput(withType(v, v.getName(), type(v.getName())));
            }
            g.clearOutput();
            for (ValueInfoProto v : graph.getOutputList()) {
                int t = renamed.containsKey(v.getName()) ? F32 : type(resolve(v.getName()));
                g.addOutput(withType(v, v.getName(), t));
            }
            ModelProto.Builder m = model.toBuilder().setGraph(g);
            String precision = qdqNodes > 0 ? "int8" : "fp16";
            return OnnxModels.withMetadata(m, OnnxModels.metadata(model).withPrecision(precision)).build();
        }

        private void emitCasts(String tensor, Map<String, Set<Integer>> castWants, Map<String, String> castName,
                               Map<String, String> renamed, List<NodeProto> out, String producer) {
            Set<Integer> wants = castWants.get(tensor);
            if (wants == null) {
                return;
            }
            for (int want : new java.util.TreeSet<>(wants)) {
                String suffix = want == F16 ? "fp16" : "fp32";
                String name = uniqueTensor(tensor + "_" + suffix);
                out.add(cast(renamed.getOrDefault(tensor, tensor), name, want,
                        prefix(producer, tensor) + "/CastTo" + (want == F16 ? "Fp16" : "Fp32")));
                castName.put(tensor + "@" + want, name);
                newType.put(name, want);
                castsInserted++;
            }
        }

        private NodeProto cast(String in, String out, int to, String name) {
            String unique = name;
            for (int i = 1; usedNames.contains(unique); i++) {
                unique = name + "_" + i;
            }
            usedNames.add(unique);
            return NodeProto.newBuilder().setOpType("Cast").setName(unique).addInput(in).addOutput(out)
                    .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                            .setI(to))
                    .build();
        }

        private String uniqueTensor(String base) {
            String name = base;
            for (int i = 1; newType.containsKey(name) || orig.get(name) != DataType.UNDEFINED_VALUE
                    || constants.containsKey(name); i++) {
                name = base + "_" + i;
            }
            newType.put(name, DataType.UNDEFINED_VALUE);
            return name;
        }

        /** The name of the first node that reads {@code tensor}, or {@code tensor} itself when none does. */
        private String firstReader(String tensor) {
            for (NodeProto n : nodes) {
                if (n.getInputList().contains(tensor)) {
                    return n.getName();
                }
            }
            return tensor;
        }

        /** Module path of a node name ({@code a.b/Op} gives {@code a.b}), so that Casts fold into that block. */
        private static String prefix(String nodeName, String fallback) {
            String s = nodeName == null || nodeName.isEmpty() ? fallback : nodeName;
            int slash = s.lastIndexOf('/');
            return slash > 0 ? s.substring(0, slash) : s;
        }

        private TensorProto convert(TensorProto c, int want, String name) {
            if (c.getDataType() == want) {
                return c.toBuilder().setName(name).build();
            }
            float[] values = OnnxTensors.floats(c);
            TensorProto.Builder b = c.toBuilder().setName(name).clearFloatData().clearInt32Data().clearRawData()
                    .setDataType(want);
            if (want == F16) {
                toFp16++;
                byte[] raw = new byte[values.length * 2];
                for (int i = 0; i < values.length; i++) {
                    float v = values[i];
                    if (v > Float16.MAX_VALUE || v < -Float16.MAX_VALUE) {
                        clamped++;
                        v = Math.copySign(Float16.MAX_VALUE, v);
                    }
                    short h = Float16.fromFloat(v);
                    if (v != 0 && (h & 0x7fff) == 0) {
                        flushed++;
                    }
                    raw[2 * i] = (byte) h;
                    raw[2 * i + 1] = (byte) (h >>> 8);
                }
                b.setRawData(com.google.protobuf.ByteString.copyFrom(raw));
            } else {
                keptFp32++;
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(values.length * 4)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    buf.putFloat(v);
                }
                b.setRawData(com.google.protobuf.ByteString.copyFrom(buf.array()));
            }
            return b.build();
        }

        private static ValueInfoProto withType(ValueInfoProto v, String name, int elemType) {
            ValueInfoProto.Builder b = v.toBuilder().setName(name);
            if (v.hasType() && v.getType().hasTensorType() && isFloat16Or32(v.getType().getTensorType().getElemType())
                    && isFloat16Or32(elemType)) {
                TypeProto.Builder t = v.getType().toBuilder();
                t.getTensorTypeBuilder().setElemType(elemType);
                b.setType(t);
            }
            return b.build();
        }
    }

    private static boolean isQdq(String op) {
        return op.equals("QuantizeLinear") || op.equals("DequantizeLinear");
    }

    /** The model's opset of the default ONNX domain (0 when it declares none). */
    static int defaultOpset(ModelProto m) {
        for (ai.onnx.proto.OnnxMl.OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        return 0;
    }

    static boolean isFloat16Or32(int t) {
        return t == F32 || t == F16;
    }

    static boolean isFloat(int t) {
        return t == F32 || t == F16 || t == DataType.DOUBLE_VALUE || t == DataType.BFLOAT16_VALUE;
    }
}
