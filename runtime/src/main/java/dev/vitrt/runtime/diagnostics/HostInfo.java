package dev.vitrt.runtime.diagnostics;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.vitrt.runtime.ort.OrtEnvironments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What this process runs on, for {@code vitrt doctor} and for reports: Java, ONNX Runtime and the CPU. Collecting it
 * never throws; what cannot be found is null, with the reason in {@link OnnxRuntime#problem()}.
 *
 * @param java        the Java runtime
 * @param onnxRuntime ONNX Runtime
 * @param cpu         the CPU
 */
public record HostInfo(JavaRuntime java, OnnxRuntime onnxRuntime, Cpu cpu) {

    /**
     * @param version  {@code Runtime.version()}
     * @param vendor   {@code java.vendor}
     * @param home     {@code java.home}
     * @param maxHeapMiB the heap limit in MiB
     */
    public record JavaRuntime(String version, String vendor, String home, long maxHeapMiB) {
    }

    /**
     * @param version   e.g. {@code 1.29.0} (the native library that loaded), or the jar's version when it did not load
     * @param providers execution providers this build of ONNX Runtime offers
     * @param problem   why the natives did not load, or null
     */
    public record OnnxRuntime(String version, List<String> providers, String problem) {
    }

    /**
     * @param model        {@code model name} of /proc/cpuinfo, or {@code os.arch}
     * @param logicalCores processors available to the JVM
     * @param features     vector extensions ONNX Runtime uses when present (avx2, avx512f, avx512_vnni, amx...)
     */
    public record Cpu(String model, int logicalCores, List<String> features) {
    }

    /** Collects the host's description. */
    public static HostInfo collect() {
        Runtime rt = Runtime.getRuntime();
        JavaRuntime java = new JavaRuntime(Runtime.version().toString(), System.getProperty("java.vendor"),
                System.getProperty("java.home"), rt.maxMemory() / (1024 * 1024));
        return new HostInfo(java, probeOnnxRuntime(), probeCpu(Path.of("/proc/cpuinfo")));
    }

    private static OnnxRuntime probeOnnxRuntime() {
        String jar = OrtEnvironment.class.getPackage() == null ? null
                : OrtEnvironment.class.getPackage().getImplementationVersion();
        try {
            String version = OrtEnvironments.get().getVersion();
            List<String> providers = new ArrayList<>();
            for (OrtProvider p : OrtEnvironment.getAvailableProviders()) {
                providers.add(p.getName());
            }
            return new OnnxRuntime(version, List.copyOf(providers), null);
        } catch (Throwable t) {
            return new OnnxRuntime(jar, List.of(), "ONNX Runtime's natives did not load: " + t.getMessage());
        }
    }

    static Cpu probeCpu(Path cpuinfo) {
        String model = System.getProperty("os.arch");
        List<String> features = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("model name")) {
                    model = value;
                } else if (key.equals("flags") && features.isEmpty()) {
                    for (String f : value.split("\\s+")) {
                        String l = f.toLowerCase(Locale.ROOT);
                        if (l.equals("avx2") || l.equals("fma") || l.equals("avx512f") || l.equals("avx512_vnni")
                                || l.equals("avx512_bf16") || l.equals("avx512_fp16") || l.equals("avx_vnni")
                                || l.startsWith("amx_")) {
                            features.add(l);
                        }
                    }
                }
                if (!features.isEmpty() && !model.equals(System.getProperty("os.arch"))) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: the architecture name stands in
        }
        return new Cpu(model, Runtime.getRuntime().availableProcessors(), List.copyOf(features));
    }
}
