package dev.vitrt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vitrt.runtime.diagnostics.HostInfo;
import dev.vitrt.tensorrt.TensorRtAvailability;
import dev.vitrt.tensorrt.TensorRtReport;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vitrt doctor}: what VitRT finds on this machine, all at once. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Report what VitRT finds here: Java, ONNX Runtime, the CPU, TensorRT (the version that loaded, or"
                + " the library that is missing and how to get it), the CUDA driver and GPUs. Always exits 0.")
final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        HostInfo host = HostInfo.collect();
        TensorRtReport trt = TensorRtReport.collect();
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("vitrt", VersionProvider.version());
            all.put("host", host);
            all.put("tensorrt", trt);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
        } else {
            print(System.out, host, trt);
        }
        return 0;
    }

    static void print(PrintStream out, HostInfo host, TensorRtReport trt) {
        out.println("vitrt " + VersionProvider.version());
        HostInfo.JavaRuntime j = host.java();
        out.printf(Locale.ROOT, "Java           %s (%s), %s, heap up to %d MiB%n", j.version(), j.vendor(), j.home(),
                j.maxHeapMiB());
        HostInfo.OnnxRuntime ort = host.onnxRuntime();
        out.println("ONNX Runtime   " + (ort.problem() == null ? ort.version() + ", providers " + ort.providers()
                : ort.version() + ": " + ort.problem()));
        HostInfo.Cpu cpu = host.cpu();
        out.printf(Locale.ROOT, "CPU            %s, %d logical cores%s%n", cpu.model(), cpu.logicalCores(),
                cpu.features().isEmpty() ? "" : ", " + String.join(" ", cpu.features()));
        out.println("TensorRT       " + (trt.tensorRtVersion() != null
                ? trt.tensorRtVersion() + " (presets " + trt.presetsVersion() + ")"
                : "not loaded (presets " + trt.presetsVersion() + ")"));
        out.println("               " + (trt.available() ? "ready: " : "") + trt.reason());
        if (trt.nativeHelper() != null) {
            out.println("               " + trt.nativeHelper());
        }
        out.println("CUDA           runtime " + orDash(trt.cudaRuntime()) + ", driver supports CUDA "
                + orDash(trt.cudaDriver()) + ", NVIDIA driver " + (trt.nvidiaDriver() != null ? trt.nvidiaDriver()
                : "not found (/proc/driver/nvidia/version)"));
        if (trt.gpus().isEmpty()) {
            out.println("GPUs           " + (trt.deviceProblem() != null ? trt.deviceProblem()
                    : "no CUDA device found" + (trt.cudaRuntime() == null ? " (the CUDA runtime did not load)" : "")));
        } else {
            for (TensorRtAvailability.Gpu g : trt.gpus()) {
                out.printf(Locale.ROOT, "GPU %-10d %s, compute capability %s, %.1f GiB%n", g.index(), g.name(),
                        g.computeCapability(), g.memoryBytes() / (double) (1L << 30));
            }
        }
        out.println("Libraries      what the TensorRT and CUDA presets load, and from where:");
        trt.libraries().forEach((soname, where) -> out.printf(Locale.ROOT, "  %-24s %s%n", soname, where));
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
