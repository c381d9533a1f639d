package dev.vitrt.models.deploy;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.GraphIndex;
import dev.vitrt.models.graph.Initializer;
import dev.vitrt.models.graph.Node;
import dev.vitrt.models.graph.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moves the pointwise convolution that closes a residual branch ({@code s = x + W h + b}, Next-ViT's MLP fc2) past
 * the residual sum when what reads the sum is linear, so that it runs on fewer pixels or fuses with its reader:
 * <ul>
 *   <li>into a pointwise conv {@code C} that reads the sum, directly or through an average pool:
 *       {@code C pool(s) = C pool(x) + (C W) pool(h) + C b} (Next-ViT's fc2 into the next block's PatchEmbed);</li>
 *   <li>past a global average pool and flatten: {@code flat(gap(s)) = flat(gap(x)) + W flat(gap(h)) + b}
 *       (the last block's fc2 on one pixel instead of all).</li>
 * </ul>
 * Exact: an average pool whose weights sum to one per output commutes with any per-pixel affine map, and the rest is
 * linear. Made only where it removes multiply-adds, and never through a graph output, so a value a user exports (a
 * feature map) is never rewritten away.
 *
 * <p>Names: the nodes that compute on the branch (its pooled input, the merged conv, the Gemm) are named under the
 * branch's module, and the new sum keeps the residual Add's name, so each stays tagged with the block whose
 * computation it is; the reader's pool and conv of {@code x} keep their own names.
 */
public final class ResidualMerge implements GraphPass {
    @Override
    public String name() {
        return "residual-merge";
    }

    @Override
    public int apply(Graph g) {
        int merged = 0;
        while (mergeOne(g)) {
            merged++;
        }
        return merged;
    }

    /** A residual sum {@code add = x + branch(h)}. */
    private record Residual(Node add, PointwiseConv branch, String x) {
        String sum() {
            return add.outputs().get(0);
        }

        String h() {
            return branch.input();
        }
    }

    private static boolean mergeOne(Graph g) {
        GraphIndex ix = GraphIndex.of(g);
        for (Node add : g.nodes) {
            if (!add.opType().equals("Add") || add.inputs().size() != 2) {
                continue;
            }
            String sum = add.outputs().get(0);
            List<Node> readers = ix.consumers(sum);
            if (ix.isGraphOutput(sum) || readers.size() != 1) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                PointwiseConv branch = PointwiseConv.match(g, ix.producer(add.inputs().get(side)));
                String x = add.inputs().get(1 - side);
                if (branch == null || branch.stride() != 1 || !ix.isPrivateTo(branch.output(), add)
                        || x.equals(branch.output()) || rank(ix, branch.output()) != 4) {
                    continue;
                }
                Residual r = new Residual(add, branch, x);
                if (intoConv(g, ix, r, readers.get(0)) || pastGlobalPool(g, ix, r, readers.get(0))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean intoConv(Graph g, GraphIndex ix, Residual r, Node reader) {
        Node pool = null;
        Node next = reader;
        if (isAveraging(reader)) {
            pool = reader;
            String pooled = pool.outputs().get(0);
            if (ix.isGraphOutput(pooled) || ix.consumers(pooled).size() != 1) {
                return false;
            }
            next = ix.consumers(pooled).get(0);
        }
        PointwiseConv conv = PointwiseConv.match(g, next);
        if (conv == null || rank(ix, conv.output()) != 4 || ix.isGraphOutput(conv.output())) {
            return false;
        }
        PointwiseConv branch = r.branch();
        long[] before = ix.shape(branch.output());
        long[] after = ix.shape(conv.output());
        long hidden = branch.in();
        // fc2 on every pixel of the sum, against the merged conv on the reader's (pooled, strided) pixels
        if ((long) conv.out() * hidden * after[2] * after[3] >= (long) branch.out() * hidden * before[2] * before[3]) {
            return false;
        }

        List<Node> replacement = new ArrayList<>();
        String xIn = r.x();
        String hIn = r.h();
        if (pool != null) {
            String pooledH = ix.freshNodeName(branch.module() + "/" + pool.opType());
            replacement.add(withInputs(pool, List.of(r.x())));
            replacement.add(new Node(pool.opType(), pooledH, List.of(r.h()), List.of(pooledH + "_output"),
                    pool.attributes(), pool.domain()));
            long[] s = ix.shape(pool.outputs().get(0));
            s[1] = hidden;
            putValue(g, pooledH + "_output", s);
            xIn = pool.outputs().get(0);
            hIn = pooledH + "_output";
        }
        List<String> convInputs = new ArrayList<>(conv.node().inputs());
        convInputs.set(0, xIn);
        Node convX = withInputs(conv.node(), convInputs);

        // merged weight C W [out, hidden] and bias C b, in double
        int out = conv.out();
        int chs = branch.out();
        int hd = (int) hidden;
        float[] wc = conv.weight().floats();
        float[] wb = branch.weight().floats();
        double[] m = new double[out * hd];
        double[] mb = new double[out];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < chs; c++) {
                double w = wc[o * chs + c];
                if (branch.bias() != null) {
                    mb[o] += w * branch.bias().floats()[c];
                }
                int row = c * hd;
                int dst = o * hd;
                for (int j = 0; j < hd; j++) {
                    m[dst + j] += w * wb[row + j];
                }
            }
        }
        List<String> mergedInputs = new ArrayList<>();
        mergedInputs.add(hIn);
        mergedInputs.add(constant(g, ix, branch.weight().name(), branch.module() + ".weight", new long[] {out, hd, 1, 1},
                toFloats(m)));
        if (branch.bias() != null) {
            mergedInputs.add(constant(g, ix, branch.bias().name(), branch.module() + ".bias", new long[] {out},
                    toFloats(mb)));
        }
        Node merged = new Node("Conv", branch.node().name(), mergedInputs, List.of(branch.output()),
                conv.node().attributes(), conv.node().domain());
        putValue(g, branch.output(), ix.shape(conv.output()));

        replacement.add(convX);
        replacement.add(merged);
        // the sum keeps the residual Add's name and output; the conv's readers now read it
        replacement.add(new Node("Add", r.add().name(), List.of(branch.output(), conv.output()), List.of(r.sum()),
                Map.of(), r.add().domain()));
        putValue(g, r.sum(), after);
        replace(g, conv.output(), r.sum(), conv.node(), replacement, r.add(), branch.node(), pool);
        return true;
    }

    private static boolean pastGlobalPool(Graph g, GraphIndex ix, Residual r, Node gap) {
        if (!gap.opType().equals("GlobalAveragePool")) {
            return false;
        }
        String pooled = gap.outputs().get(0);
        List<Node> c = ix.consumers(pooled);
        if (ix.isGraphOutput(pooled) || c.size() != 1 || !c.get(0).opType().equals("Flatten")
                || c.get(0).attrLong("axis", 1) != 1 || ix.isGraphOutput(c.get(0).outputs().get(0))) {
            return false;
        }
        Node flat = c.get(0);
        PointwiseConv branch = r.branch();
        long[] s = ix.shape(branch.output());
        if (s[2] * s[3] <= 1) {
            return false;
        }
        long batch = s[0];
        int chs = branch.out();
        int hd = branch.in();
        String gapH = ix.freshNodeName(branch.module() + "/GlobalAveragePool");
        String flatH = ix.freshNodeName(branch.module() + "/Flatten");
        String gemm = ix.freshNodeName(branch.module() + "/Gemm");
        List<Node> replacement = new ArrayList<>();
        replacement.add(withInputs(gap, List.of(r.x())));
        replacement.add(flat);
        replacement.add(new Node("GlobalAveragePool", gapH, List.of(r.h()), List.of(gapH + "_output"), Map.of(),
                gap.domain()));
        replacement.add(new Node("Flatten", flatH, List.of(gapH + "_output"), List.of(flatH + "_output"),
                flat.attributes(), flat.domain()));
        List<String> gemmInputs = new ArrayList<>();
        gemmInputs.add(flatH + "_output");
        gemmInputs.add(constant(g, ix, branch.weight().name(), branch.module() + ".weight", new long[] {chs, hd},
                branch.weight().floats()));
        if (branch.bias() != null) {
            gemmInputs.add(branch.bias().name());
        }
        replacement.add(new Node("Gemm", gemm, gemmInputs, List.of(gemm + "_output"), Map.of("transB", 1L)));
        replacement.add(new Node("Add", r.add().name(), List.of(flat.outputs().get(0), gemm + "_output"),
                List.of(r.sum()), Map.of(), r.add().domain()));
        putValue(g, gapH + "_output", new long[] {batch, hd, 1, 1});
        putValue(g, flatH + "_output", new long[] {batch, hd});
        putValue(g, gemm + "_output", new long[] {batch, chs});
        putValue(g, r.sum(), new long[] {batch, chs});
        g.values.remove(branch.output());
        replace(g, flat.outputs().get(0), r.sum(), flat, replacement, r.add(), branch.node(), gap);
        return true;
    }

    /**
     * Swaps the matched nodes for {@code replacement} at the position of {@code anchor} (the last of them in graph
     * order) and points every reader of {@code from} at {@code to}.
     */
    private static void replace(Graph g, String from, String to, Node anchor, List<Node> replacement, Node... removed) {
        List<Node> out = new ArrayList<>(g.nodes.size() + replacement.size());
        for (Node n : g.nodes) {
            if (n == anchor) {
                out.addAll(replacement);
            } else if (!contains(removed, n)) {
                out.add(rewire(n, from, to));
            }
        }
        g.nodes.clear();
        g.nodes.addAll(out);
    }

    private static boolean contains(Node[] nodes, Node n) {
        for (Node m : nodes) {
            if (m == n) {
                return true;
            }
        }
        return false;
    }

    private static Node rewire(Node n, String from, String to) {
        if (!n.inputs().contains(from)) {
            return n;
        }
        List<String> in = new ArrayList<>(n.inputs());
        in.replaceAll(s -> s.equals(from) ? to : s);
        return withInputs(n, in);
    }

    private static Node withInputs(Node n, List<String> inputs) {
        return new Node(n.opType(), n.name(), inputs, n.outputs(), n.attributes(), n.domain());
    }

    /**
     * Stores {@code data} as the initializer {@code current} when only the branch reads it (same name, new values),
     * else as a new one named after {@code base}; returns the name.
     */
    private static String constant(Graph g, GraphIndex ix, String current, String base, long[] shape, float[] data) {
        String name = current;
        if (ix.consumers(current).size() != 1) {
            name = base;
            for (int i = 1; g.initializers.containsKey(name); i++) {
                name = base + "_" + i;
            }
        }
        g.initializers.put(name, Initializer.ofFloats(name, shape, data));
        return name;
    }

    /** An average pool whose window weights sum to one for every output, so it commutes with a per-pixel affine map. */
    private static boolean isAveraging(Node n) {
        if (!n.opType().equals("AveragePool")
                || !"NOTSET".equals(String.valueOf(n.attributes().getOrDefault("auto_pad", "NOTSET")))) {
            return false;
        }
        if (n.attrLong("count_include_pad", 0) == 0) {
            return true;
        }
        for (long p : n.attrLongs("pads", new long[0])) {
            if (p != 0) {
                return false;
            }
        }
        return n.attrLong("ceil_mode", 0) == 0;
    }

    private static int rank(GraphIndex ix, String value) {
        long[] s = ix.shape(value);
        return s == null ? -1 : s.length;
    }

    private static void putValue(Graph g, String name, long[] shape) {
        Tensor old = g.values.get(name);
        g.values.put(name, new Tensor(name, old != null ? old.dtype() : ElementType.FLOAT32, shape));
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
