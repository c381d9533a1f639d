package dev.vitrt.bench.gpu;

import dev.vitrt.runtime.Precision;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrt.runtime.diagnostics.HostInfo;
import dev.vitrt.runtime.io.AtomicFiles;
import dev.vitrt.tensorrt.TensorRtReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The GPU check (run by {@code gpu/check} on a machine with an NVIDIA GPU): for each model and precision, an engine
 * built from Java, compared with ONNX Runtime FP32 on the fixture input, timed (host latency and GPU compute, with and
 * without CUDA graphs) and profiled per block; then open/close cycles of one plan with free GPU memory before and
 * after. Writes {@code gpu-check.json} and {@code gpu-check.txt} into the output folder after every step, so that a
 * run cut short still leaves what it measured; a time budget skips what would not fit, saying so.
 *
 * <p>Usage: {@code GpuCheck --fixtures DIR[:DIR...] --out DIR [--models a,b] [--precisions fp16,int8,fp32]
 * [--cycles 50] [--budget-s 420] [--opt-level 3] [--calib-samples 32]}. Exit status: 0 all passed, 1 a check failed
 * or errored, 3 TensorRT cannot run here (the GPU part is skipped, and the reason is written).
 */
public final class GpuCheck {
    static final int EXIT_FAILED = 1;
    static final int EXIT_SKIPPED = 3;

    /** The check's settings. */
    record Settings(List<Path> fixtures, Path out, List<String> models, List<Precision> precisions, int cycles,
                    long budgetNanos, int optLevel, int calibSamples) {
    }

    private final Settings settings;
    private final long start = System.nanoTime();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final ObjectNode root = json.createObjectNode();
    private final List<String> summary = new ArrayList<>();
    private boolean failed;

    GpuCheck(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        System.exit(new GpuCheck(parse(args)).run());
    }

    int run() throws Exception {
        Files.createDirectories(settings.out());
        root.put("started", Instant.now().toString());
        root.set("host", json.valueToTree(HostInfo.collect()));
        TensorRtReport trt = TensorRtReport.collect();
        root.set("tensorrt", json.valueToTree(trt));
        String stubs = System.getenv("VITRT_GPU_CHECK_STUBS");
        if (stubs != null && !stubs.isBlank()) { // gpu/check found no cuBLAS/cuDNN and stood in for them
            root.put("stood_in_libraries", stubs);
        }
        line("VitRT GPU check: " + (trt.gpus().isEmpty() ? "no GPU" : trt.gpus().get(0).name() + " (compute capability "
                + trt.gpus().get(0).computeCapability() + ")") + ", NVIDIA driver " + orDash(trt.nvidiaDriver())
                + " (CUDA " + orDash(trt.cudaDriver()) + "), CUDA runtime " + orDash(trt.cudaRuntime()) + ", TensorRT "
                + orDash(trt.tensorRtVersion()));
        if (stubs != null && !stubs.isBlank()) {
            line("cuBLAS/cuDNN not found on this machine; empty stand-ins loaded for: " + stubs);
        }
        if (!trt.available()) {
            root.put("skipped", trt.reason());
            line("GPU part skipped: " + trt.reason());
            save();
            return EXIT_SKIPPED;
        }
        ArrayNode engines = root.putArray("engines");
        Path work = Files.createTempDirectory("vitrt-gpu-check-");
        boolean cycled = false;
        for (String model : settings.models()) {
            EngineCheck check;
            try {
                check = EngineCheck.prepare(model, settings, work);
            } catch (Exception e) {
                fail("model " + model + ": " + message(e));
                continue;
            }
            root.withArray("references").add(check.reference());
            line(check.referenceLine());
            for (Precision p : settings.precisions()) {
                if (outOfTime()) {
                    skipped(model + " " + p.label());
                    continue;
                }
                ObjectNode e = engines.addObject();
                EngineCheck.Outcome o = check.run(p, e);
                failed |= !o.passed();
                line(o.line());
                save();
                if (!cycled && settings.cycles() > 0 && o.plan() != null && o.passed() && p == Precision.FP16) {
                    // right after the first fp16 engine (a small one first): cheap, and never cut by the budget
                    cycled = true;
                    OpenCloseCheck.Outcome c = OpenCloseCheck.run(o.plan(), settings.cycles(),
                            root.putObject("open_close"));
                    failed |= !c.passed();
                    line(c.line());
                    save();
                }
            }
        }
        if (!cycled && settings.cycles() > 0) {
            fail("open/close cycles not run: no fp16 engine was built and run");
        }
        root.put("seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
        root.put("passed", !failed);
        line(failed ? "GPU check: FAILED (see above and gpu-check.json)" : "GPU check: all passed");
        save();
        return failed ? EXIT_FAILED : 0;
    }

    private boolean outOfTime() {
        return System.nanoTime() - start > settings.budgetNanos();
    }

    private void skipped(String what) {
        root.withArray("not_run").add(what + ": time budget of " + settings.budgetNanos() / 1_000_000_000L
                + " s spent");
        line("not run (time budget): " + what);
    }

    private void fail(String what) {
        failed = true;
        root.withArray("errors").add(what);
        line("ERROR " + what);
    }

    private void line(String s) {
        System.out.println(s);
        System.out.flush();
        summary.add(s);
    }

    private void save() throws Exception {
        AtomicFiles.writeString(settings.out().resolve("gpu-check.json"), json.writeValueAsString(root) + "\n");
        AtomicFiles.writeString(settings.out().resolve("gpu-check.txt"), String.join("\n", summary) + "\n");
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(m));
    }

    static Settings parse(String[] args) {
        List<Path> fixtures = new ArrayList<>();
        Path out = null;
        List<String> models = List.of("mobilevitv2_050", "nextvit_small");
        List<Precision> precisions = List.of(Precision.FP16, Precision.INT8, Precision.FP32);
        int cycles = 50;
        long budget = 420;
        int opt = 3;
        int samples = 32;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--fixtures" -> {
                    for (String d : v.split(":")) {
                        fixtures.add(Path.of(d));
                    }
                    i++;
                }
                case "--out" -> {
                    out = Path.of(v);
                    i++;
                }
                case "--models" -> {
                    models = List.of(v.split(","));
                    i++;
                }
                case "--precisions" -> {
                    precisions = List.of(v.split(",")).stream().map(Precision::parse).toList();
                    i++;
                }
                case "--cycles" -> {
                    cycles = Integer.parseInt(v);
                    i++;
                }
                case "--budget-s" -> {
                    budget = Long.parseLong(v);
                    i++;
                }
                case "--opt-level" -> {
                    opt = Integer.parseInt(v);
                    i++;
                }
                case "--calib-samples" -> {
                    samples = Integer.parseInt(v);
                    i++;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i].toLowerCase(Locale.ROOT));
            }
        }
        if (out == null || fixtures.isEmpty()) {
            throw new IllegalArgumentException("usage: GpuCheck --fixtures DIR[:DIR...] --out DIR [--models a,b]"
                    + " [--precisions fp16,int8,fp32] [--cycles N] [--budget-s S] [--opt-level L] [--calib-samples N]");
        }
        return new Settings(List.copyOf(fixtures), out, models, precisions, cycles, budget * 1_000_000_000L, opt,
                samples);
    }
}
