package dev.vitrt.bench;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.vitrt.benchmark.Machine;
import dev.vitrt.benchmark.SideBySide;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ort.OrtEnvironments;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What ONNX Runtime's profiler adds to a node's reported kernel time, by kind of node, measured on chains of nodes
 * that do (almost) no work: the profiler formats every input's and output's shape and the thread pool's statistics
 * inside the span it reports. {@code profile} takes out the cost of a 3-tensor no-work node (its probe); this bench
 * shows how that cost grows with the number of tensors a node formats, and whether a node that hands work to the
 * intra-op thread pool costs the profiler more (the thread pool logs each parallel section while profiling).
 *
 * <p>Each chain runs in a plain session (wall time per node: the node's own work plus the runtime's per-node cost)
 * and in a profiled one (the kernel times it reports); the profiler's cost of a node is its reported kernel time less
 * the extra plain time per node over the one-input chain (the work that the more complex node really does).
 *
 * <p>Usage: {@code bench/run ProfilerCostBench [--threads 1,2] [--runs 200]}
 */
public final class ProfilerCostBench {
    private static final int NODES = 64;

    private ProfilerCostBench() {
    }

    /** A chain of {@link #NODES} nodes of one op; {@code extra} constant inputs of {@code constShape} per node. */
    private record Chain(String label, String op, int extra, long[] shape, long[] constShape, int tensors) {
    }

    public static void main(String[] args) throws Exception {
        int[] threads = {1, 2};
        int runs = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Chain> chains = List.of(
                new Chain("Sum, 1 input [0] (2 tensors)", "Sum", 0, new long[] {0}, new long[] {0}, 2),
                new Chain("Add [1] (3 tensors, profile's probe)", "Add", 1, new long[] {1}, new long[] {1}, 3),
                new Chain("Sum, 9 inputs [0] (10 tensors)", "Sum", 8, new long[] {0}, new long[] {0}, 10),
                new Chain("Sum, 9 inputs [1,0,8,8] (10 tensors, rank 4)", "Sum", 8, new long[] {1, 0, 8, 8},
                        new long[] {1, 0, 8, 8}, 10),
                new Chain("LayerNormalization [2,1] (4 tensors, 2 rows to the pool)", "LayerNormalization", 2,
                        new long[] {2, 1}, new long[] {1}, 4));
        System.out.printf(Locale.ROOT, "ProfilerCostBench: chains of %d nodes, %d runs each, %s%n", NODES, runs,
                Machine.loadLine());
        for (int t : threads) {
            System.out.printf(Locale.ROOT, "%n%d intra-op thread%s:%n  %-56s %12s %14s %16s%n", t, t == 1 ? "" : "s",
                    "chain", "plain us/node", "profiled us/node", "profiler us/node");
            double base = Double.NaN;
            for (Chain c : chains) {
                double plain = plainPerNode(c, t, runs);
                double kernel = profiledKernel(c, t, runs);
                base = Double.isNaN(base) ? plain : base;
                System.out.printf(Locale.ROOT, "  %-56s %12.2f %14.2f %16.2f%n", c.label(), plain, kernel,
                        kernel - (plain - base));
            }
        }
        System.out.printf(Locale.ROOT, "%n(plain: median wall time per run / %d; profiled: 10%%-trimmed mean of the"
                + " reported kernel times; profiler: profiled less the plain time over the first chain's)%n", NODES);
    }

    private static OrtSession.SessionOptions options(int threads, String profilePrefix) throws Exception {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        so.setIntraOpNumThreads(threads);
        if (profilePrefix != null) {
            so.enableProfiling(profilePrefix);
        }
        return so;
    }

    private static double plainPerNode(Chain c, int threads, int runs) throws Exception {
        OrtEnvironment env = OrtEnvironments.get();
        try (OrtSession.SessionOptions so = options(threads, null); OrtSession s = env.createSession(model(c), so);
             OnnxTensor x = input(env, c)) {
            for (int i = 0; i < 20; i++) {
                s.run(Map.of("x0", x)).close();
            }
            double[] us = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                s.run(Map.of("x0", x)).close();
                us[i] = (System.nanoTime() - t0) / 1e3;
            }
            return SideBySide.median(us) / NODES;
        }
    }

    private static double profiledKernel(Chain c, int threads, int runs) throws Exception {
        OrtEnvironment env = OrtEnvironments.get();
        Path dir = Files.createTempDirectory("vitrt-profiler-cost");
        try {
            String trace;
            try (OrtSession.SessionOptions so = options(threads, dir.resolve("p").toString());
                 OrtSession s = env.createSession(model(c), so); OnnxTensor x = input(env, c)) {
                for (int i = 0; i < runs; i++) {
                    s.run(Map.of("x0", x)).close();
                }
                trace = s.endProfiling();
            }
            List<Double> us = new ArrayList<>();
            for (JsonNode e : new ObjectMapper().readTree(Path.of(trace).toFile())) {
                if (e.path("name").asText().endsWith("_kernel_time")) {
                    us.add(e.path("dur").asDouble());
                }
            }
            us.sort(null);
            int kept = Math.max(1, (int) (us.size() * 0.9));
            return us.subList(0, kept).stream().mapToDouble(Double::doubleValue).sum() / kept;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static OnnxTensor input(OrtEnvironment env, Chain c) throws Exception {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[(int) FloatTensor.elementCount(c.shape())]), c.shape());
    }

    private static byte[] model(Chain c) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("profiler_cost");
        TensorProto.Builder k = TensorProto.newBuilder().setName("c").setDataType(TensorProto.DataType.FLOAT_VALUE);
        Arrays.stream(c.constShape()).forEach(k::addDims);
        float[] ones = new float[(int) FloatTensor.elementCount(c.constShape())];
        Arrays.fill(ones, 1f);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * ones.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : ones) {
            b.putFloat(f);
        }
        g.addInitializer(k.setRawData(ByteString.copyFrom(b.array())));
        for (int i = 0; i < NODES; i++) {
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(c.op()).setName("chain/" + c.op() + "_" + i)
                    .addInput("x" + i).addOutput("x" + (i + 1));
            for (int e = 0; e < c.extra(); e++) {
                n.addInput("c");
            }
            g.addNode(n);
        }
        g.addInput(BlockCoverageBench.floatValue("x0", c.shape()))
                .addOutput(BlockCoverageBench.floatValue("x" + NODES, c.shape()));
        return ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build().toByteArray();
    }
}
