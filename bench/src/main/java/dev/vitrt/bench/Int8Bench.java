package dev.vitrt.bench;

import dev.vitrt.benchmark.Machine;
import dev.vitrt.benchmark.SideBySide;
import dev.vitrt.cli.ProgressBar;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.calibration.Calibration;
import dev.vitrt.calibration.QuantizationReport;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.calibration.data.CalibrationData;
import dev.vitrt.calibration.data.SyntheticData;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * INT8 against FP32 on ONNX Runtime CPU, for zoo models as {@code vitrt calibrate} makes them: exports the model (with
 * the timm fixture's weights where present), calibrates it on synthetic data, then reports the per-sample logit
 * cosine on held-out inputs, what ONNX Runtime runs in INT8 (its optimized graph), and the latency of both side by
 * side ({@link SideBySide}: interleaved rounds, order alternating, per-round ratios with their spread).
 *
 * <p>Run from the repository root: {@code bench/run Int8Bench --models mobilevitv2_050,mobilevitv2_100,nextvit_small}.
 *
 * <p>Usage: {@code Int8Bench [--models a,b] [--fixtures DIR] [--samples 64] [--held-out 16] [--method mse]
 * [--rounds 20] [--iters 10] [--threads 0] [--batch 1] [--save DIR]}
 */
public final class Int8Bench {
    private Int8Bench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> models = List.of("mobilevitv2_050");
        Path fixtures = Path.of(System.getProperty("vitrt.fixtures", "../shared/fixtures/timm"));
        int samples = 64;
        int heldOut = 16;
        String method = "mse";
        int rounds = 20;
        int iters = 10;
        int threads = 0;
        int batch = 1;
        Path save = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--models" -> models = List.of(args[++i].split(","));
                case "--fixtures" -> fixtures = Path.of(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--held-out" -> heldOut = Integer.parseInt(args[++i]);
                case "--method" -> method = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--save" -> save = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = save != null ? Files.createDirectories(save) : Files.createTempDirectory("vitrt-int8-bench");
        System.out.printf(Locale.ROOT, "Int8Bench: ONNX Runtime CPU, %s intra-op threads, batch %d, %s%n",
                threads == 0 ? "default" : threads, batch, Machine.loadLine());
        BackendOptions bo = BackendOptions.defaults().withIntraOpThreads(threads);
        try {
            for (String model : models) {
                Path weights = fixtures.resolve(model + ".safetensors");
                ExportOptions o = ExportOptions.defaults();
                boolean fixture = Files.isRegularFile(weights);
                ExportedModel em = Exporter.export(model, fixture ? o.withWeights(weights) : o);
                ModelProto fp32 = ModelProto.parseFrom(OnnxWriter.toBytes(em.graph()));
                long[] sample = {3, em.inputSize(), em.inputSize()};
                CalibrationData data = new SyntheticData(0, samples + heldOut, sample);
                long t0 = System.nanoTime();
                Calibration.Quantized q = Calibration.quantize(fp32, data, samples, 8, CalibrationMethod.parse(method),
                        99.99, QdqOptions.defaults(), bo, Progress.NONE);
                Path f = dir.resolve(model + ".onnx");
                Path i8 = dir.resolve(model + ".int8.onnx");
                Files.write(f, fp32.toByteArray());
                Files.write(i8, q.model().toByteArray());
                System.out.printf(Locale.ROOT, "%n%s (%s weights), %dx%d: calibrated (%s, %d samples, %d activation"
                        + " tensors) in %.1f s%n", model, fixture ? "fixture" : "seeded random", em.inputSize(),
                        em.inputSize(), q.method(), samples, q.plan().activations().size(), (System.nanoTime() - t0) / 1e9);
                System.out.println("  FP32 graph in ORT: " + OrtGraphCensus.of(f, threads).summary());
                System.out.println("  INT8 graph in ORT: " + OrtGraphCensus.of(i8, threads).summary());
                try (Backend a = OnnxRuntimeBackend.open(f, bo); Backend b = OnnxRuntimeBackend.open(i8, bo)) {
                    QuantizationReport r = QuantizationReport.compare(a, b, data.slice(samples, heldOut), heldOut);
                    System.out.printf(Locale.ROOT, "  accuracy on %d held-out inputs: logit cosine min %.5f mean %.5f,"
                            + " top-1 agreement %.0f%%%n", heldOut, r.minCosine(), r.meanCosine(), 100 * r.top1Agreement());
                    FloatTensor x = new SyntheticData(7, batch, sample).batch(0, batch);
                    String in = a.singleInput().name();
                    try (Backend.PreparedRun pa = a.prepare(Map.of(in, x)); Backend.PreparedRun pb = b.prepare(Map.of(in, x))) {
                        List<SideBySide.Variant> v = new ArrayList<>();
                        v.add(new SideBySide.Variant("fp32", pa::runDiscardingOutputs));
                        v.add(new SideBySide.Variant("int8", pb::runDiscardingOutputs));
                        List<SideBySide.Timings> t;
                        try (ProgressBar bar = new ProgressBar(model + ":")) {
                            t = SideBySide.measure(v, new SideBySide.Config(5, rounds, iters), bar);
                        }
                        System.out.printf(Locale.ROOT, "  latency, %d rounds x %d runs, %s:%n", rounds, iters,
                                Machine.loadLine());
                        System.out.print(SideBySide.report(t));
                    }
                }
            }
        } finally {
            if (save == null) {
                try (var s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }
    }
}
