package dev.vitrt.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.ort.OrtEnvironments;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where ONNX Runtime CPU spends its time in a graph: runs it with ORT's profiler on and sums kernel times per
 * operator type and per node (after ORT's fusions), to see what to restructure.
 *
 * <p>Usage: {@code OrtProfileSummary (MODEL.onnx | zoo-name) [--batch N] [--iters N] [--top N]}
 */
public final class OrtProfileSummary {
    private OrtProfileSummary() {
    }

    public static void main(String[] args) throws Exception {
        String model = args[0];
        int batch = 1;
        int iters = 5;
        int top = 25;
        int size = 224;
        int threads = 0;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--top" -> top = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        byte[] bytes = model.endsWith(".onnx") ? Files.readAllBytes(Path.of(model))
                : OnnxWriter.toBytes(Exporter.export(model, ExportOptions.defaults()).graph());
        OrtEnvironment env = OrtEnvironments.get();
        Path prefix = Files.createTempDirectory("ortprof").resolve("p");
        String file;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.enableProfiling(prefix.toString());
            if (threads > 0) {
                o.setIntraOpNumThreads(threads);
            }
            try (OrtSession s = env.createSession(bytes, o)) {
                long[] shape = {batch, 3, size, size};
                float[] data = new float[batch * 3 * size * size];
                java.util.Arrays.fill(data, 0.1f);
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape)) {
                    for (int i = 0; i < iters + 1; i++) {
                        s.run(Map.of(s.getInputNames().iterator().next(), in)).close();
                    }
                }
                file = s.endProfiling();
            }
        }
        JsonNode events = new ObjectMapper().readTree(Path.of(file).toFile());
        Map<String, Double> byOp = new HashMap<>();
        Map<String, Double> byNode = new HashMap<>();
        Map<String, String> opOf = new HashMap<>();
        double total = 0;
        for (JsonNode e : events) {
            if (!"Node".equals(e.path("cat").asText()) || !e.path("name").asText().endsWith("_kernel_time")) {
                continue;
            }
            String node = e.path("name").asText().replace("_kernel_time", "");
            String op = e.path("args").path("op_name").asText();
            double us = e.path("dur").asDouble() / (iters + 1);
            byOp.merge(op, us, Double::sum);
            byNode.merge(node, us, Double::sum);
            opOf.put(node, op);
            total += us;
        }
        System.out.printf(Locale.ROOT, "%s batch %d: %.2f ms of kernel time per run (profile %s)%n", model, batch,
                total / 1000, file);
        final double t = total;
        byOp.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-22s %8.2f ms %5.1f%%%n", e.getKey(), e.getValue() / 1000,
                        100 * e.getValue() / t));
        System.out.println("top nodes:");
        byNode.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-60s %-18s %7.2f ms%n", e.getKey(), opOf.get(e.getKey()),
                        e.getValue() / 1000));
    }
}
