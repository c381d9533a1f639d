package dev.vitrt.benchmark;

import dev.vitrt.engine.precision.Fp16Lowering;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.bench.Inputs;
import dev.vitrt.runtime.profile.ModelProfiler;
import dev.vitrt.runtime.io.TemporaryFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures a table's models together, the careful way for a machine shared with other work: every model is exported,
 * loaded and warmed up first, then timed in interleaved rounds (each round runs every model once, in an order that
 * changes from round to round: {@link Interleaving}), so that a burst of load from elsewhere hits all rows alike
 * instead of whichever model happened to be running. Rows are summarized by their median and spread. Models asked to
 * be profiled then get a short layer-profiling pass, whose proportions split the interleaved latency into block types and parts.
 */
public final class Bench {
    /** Profiled runs per model in the profiling pass: proportions settle quickly, and profiling costs double. */
    static final int PROFILE_RUNS = 5;

    /**
     * The measured rows, in the order asked, and how the measuring went.
     *
     * @param rows           one per model run
     * @param rounds         interleaved rounds run (timed runs per model)
     * @param stoppedByBudget whether the time budget ended the rounds before {@code iterations}
     * @param backend        backend name ({@code onnxruntime} / {@code tensorrt})
     * @param device         where it ran, e.g. {@code CPU (2 threads)}
     * @param precision      {@code fp32} or {@code fp16}
     * @param choiceReason   why this backend was chosen
     * @param seconds        wall time of the whole measurement, preparation included
     */
    public record Result(List<Measured> rows, int rounds, boolean stoppedByBudget, String backend, String device,
                         String precision, String choiceReason, double seconds) {
        /** The row of this run key ({@link ModelRun#key()}), or null. */
        public Measured row(String key) {
            return rows.stream().filter(m -> m.run().key().equals(key)).findFirst().orElse(null);
        }
    }

    private record Counts(long parameters, long macs) {
    }

    private record Loaded(ModelRun run, Counts counts, Backend backend,
                          Backend.PreparedRun prepared, Map<String, FloatTensor> inputs) {
    }

    private Bench() {
    }

    /** Exports, loads, warms up and times these runs; every zoo name must exist. */
    public static Result run(List<ModelRun> runs, BenchSettings s, ProgressListener display) throws IOException,
            BackendException {
        for (ModelRun r : runs) {
            Zoo.get(r.zooName()); // unknown names fail before any work
        }
        long t0 = System.nanoTime();
        Backends.Choice choice = Backends.choose(s.backend()); // once for the table, before any export
        String precision = resolvePrecision(s.precision(), choice.kind());
        Path dir = TemporaryFiles.createDirectory("vitrt-reproduce-");
        List<Loaded> loaded = new ArrayList<>();
        try {
            for (int i = 0; i < runs.size(); i++) {
                ModelRun r = runs.get(i);
                int steps = 3 + s.warmup();
                try (ProgressListener.Stage bar = display.open(String.format("[%d/%d] %s", i + 1, runs.size(),
                        r.label()))) {
                    bar.update("export", 0, steps);
                    ExportOptions eo = ExportOptions.defaults().withInputSize(r.size()).withBatch(r.batch());
                    ExportedModel m = Exporter.export(Zoo.get(r.zooName()), r.features() ? eo.withFeatures(List.of())
                            : eo);
                    Path onnx = dir.resolve(r.zooName() + (r.features() ? "-features" : "") + "-" + r.size() + "-b"
                            + r.batch() + ".onnx");
                    boolean fp16 = precision.equals("fp16");
                    bar.update("write", 1, steps);
                    boolean trt = choice.kind() == BackendKind.TENSORRT;
                    writeOnnx(m, onnx, fp16 && !trt); // TensorRT lowers precision itself when it builds the engine
                    Counts counts = new Counts(m.parameters(), m.macs());
                    m = null; // the graph's weights are in the file now; let them go
                    bar.update(trt ? "engine" : "load", 2, steps); // TensorRT: built once, then the engine cache's
                    BackendOptions bo = BackendOptions.defaults().withIntraOpThreads(s.threads())
                            .withPrecision(Precision.parse(precision))
                            .withBatch(new BatchRange(r.batch(), r.batch(), r.batch()))
                            .withBuildListener((severity, text) -> display.log("[TensorRT] " + severity + ": " + text));
                    Backend b = Backends.open(onnx, choice, bo);
                    try {
                        TensorSpec spec = b.singleInput();
                        // the graph is exported at the run's size: its fixed dims give the input's shape
                        FloatTensor x = Inputs.random(spec, r.batch(), 0, 0);
                        Map<String, FloatTensor> in = Map.of(spec.name(), x);
                        Backend.PreparedRun p = b.prepare(in);
                        loaded.add(new Loaded(r, counts, b, p, in));
                    } catch (BackendException | RuntimeException e) {
                        b.close();
                        throw e;
                    }
                    Backend.PreparedRun p = loaded.get(loaded.size() - 1).prepared();
                    for (int w = 0; w < s.warmup(); w++) {
                        p.runDiscardingOutputs();
                        bar.update("warm-up", 3 + w + 1, steps);
                    }
                    bar.update("ready", steps, steps);
                }
            }
            List<double[]> samples = new ArrayList<>();
            List<double[]> cpuSamples = new ArrayList<>();
            for (int i = 0; i < loaded.size(); i++) {
                samples.add(new double[s.iterations()]);
                cpuSamples.add(new double[s.iterations()]);
            }
            ProcessCpu cpu = new ProcessCpu();
            int rounds = 0;
            boolean stopped = false;
            long start = System.nanoTime();
            try (ProgressListener.Stage bar = display.open("interleaved rounds (" + loaded.size() + " models)")) {
                while (rounds < s.iterations()) {
                    for (int k = 0; k < loaded.size(); k++) {
                        int i = Interleaving.order(rounds, k, loaded.size()); // no model always first
                        long c = cpu.nanos();
                        long a = System.nanoTime();
                        loaded.get(i).prepared().runDiscardingOutputs();
                        samples.get(i)[rounds] = (System.nanoTime() - a) / 1e6;
                        cpuSamples.get(i)[rounds] = (cpu.nanos() - c) / 1e6;
                        // one step per model run, labelled by round (a line per round when stderr is a log)
                        bar.update("round " + (rounds + 1), (long) rounds * loaded.size() + k + 1,
                                (long) s.iterations() * loaded.size());
                    }
                    rounds++;
                    if (s.budget() != null && rounds >= s.minRounds() && rounds < s.iterations()
                            && System.nanoTime() - start >= s.budget().toNanos()) {
                        stopped = true;
                        break;
                    }
                }
            }
            List<Measured> rows = new ArrayList<>();
            for (int i = 0; i < loaded.size(); i++) {
                Loaded l = loaded.get(i);
                double[] ms = java.util.Arrays.copyOf(samples.get(i), rounds);
                Spread spread = Spread.of(ms);
                Spread cpuSpread = cpu.available() ? Spread.of(java.util.Arrays.copyOf(cpuSamples.get(i), rounds))
                        : null;
                ModelProfiler.Result prof = null;
                if (l.run().profile()) {
                    try (ProgressListener.Stage bar = display.open("profile " + l.run().label())) {
                        prof = ModelProfiler.profile(l.backend(), l.inputs(), l.run().batch(),
                                new ModelProfiler.Config(1, PROFILE_RUNS, true), bar);
                    }
                }
                rows.add(new Measured(l.run(), l.counts().parameters(), l.counts().macs(), spread, cpuSpread,
                        prof == null ? null : prof.blocks(), prof == null ? Double.NaN : prof.latency().mean(),
                        s.estimator()));
            }
            Backend first = loaded.isEmpty() ? null : loaded.get(0).backend();
            return new Result(rows, rounds, stopped, first == null ? "" : first.name(),
                    first == null ? "" : first.device(), precision, choice.reason(), (System.nanoTime() - t0) / 1e9);
        } finally {
            for (Loaded l : loaded) {
                l.prepared().close();
                l.backend().close();
            }
            TemporaryFiles.delete(dir);
        }
    }

    /** {@code auto}: fp16 on TensorRT (the papers' TensorRT figures are fp16), fp32 on ONNX Runtime. */
    static String resolvePrecision(String asked, BackendKind kind) {
        if (asked.equals("auto")) {
            return kind == BackendKind.TENSORRT ? "fp16" : "fp32";
        }
        return asked;
    }

    private static void writeOnnx(ExportedModel m, Path file, boolean fp16) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            if (fp16) {
                Fp16Lowering.lower(OnnxWriter.toProto(m.graph())).model().writeTo(out);
            } else {
                OnnxWriter.write(m.graph(), out);
            }
        }
    }
}
