package dev.vitrt.tensorrt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * TensorRT and the GPU as {@code vitrt doctor} reports them: the TensorRT that loaded (or the exact library that is
 * missing and how to get it), the CUDA runtime and driver, every GPU (name, compute capability, memory) or why there
 * is none, VitRT's native helper, and where each library the presets need was found. Collecting it never throws.
 *
 * @param available        whether TensorRT can run here
 * @param reason           {@link TensorRtAvailability.Status#reason()}
 * @param tensorRtVersion  the TensorRT that loaded, or null
 * @param presetsVersion   the JavaCPP presets', e.g. {@code 11.2-1.5.14}
 * @param missing          the missing library, or null
 * @param cudaRuntime      CUDA runtime version, or null
 * @param cudaDriver       CUDA version the driver supports, or null
 * @param nvidiaDriver     the NVIDIA kernel driver's version ({@code /proc/driver/nvidia/version}), or null
 * @param gpus             CUDA devices
 * @param deviceProblem    why there is no CUDA device, or null
 * @param nativeHelper     null when VitRT's native helper loaded, else why not
 * @param libraries        where each library was found
 */
public record TensorRtReport(boolean available, String reason, String tensorRtVersion, String presetsVersion,
                             String missing, String cudaRuntime, String cudaDriver, String nvidiaDriver,
                             List<TensorRtAvailability.Gpu> gpus, String deviceProblem, String nativeHelper,
                             Map<String, String> libraries) {

    /** Checks TensorRT (once per process) and describes what it found. */
    public static TensorRtReport collect() {
        TensorRtAvailability.Status s;
        try {
            s = TensorRtAvailability.check();
        } catch (Throwable t) {
            return new TensorRtReport(false, "TensorRT's check failed: " + t, null, TensorRtAvailability.presetsVersion(),
                    null, null, null, nvidiaDriver(Path.of("/proc/driver/nvidia/version")), List.of(), null, null,
                    Map.of());
        }
        String helper;
        try {
            helper = dev.vitrt.tensorrt.nat.NativeTensorRt.load();
        } catch (Throwable t) {
            helper = t.toString();
        }
        return new TensorRtReport(s.available(), s.reason(), s.tensorRtVersion(), TensorRtAvailability.presetsVersion(),
                s.missing(), s.cudaRuntime(), s.cudaDriver(), nvidiaDriver(Path.of("/proc/driver/nvidia/version")),
                s.gpus(), s.deviceProblem(), helper, s.libraries());
    }

    /** The version in {@code NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.10 ...}, or null. */
    static String nvidiaDriver(Path procVersion) {
        try {
            for (String line : Files.readAllLines(procVersion)) {
                if (line.startsWith("NVRM version:")) {
                    for (String tok : line.split("\\s+")) {
                        if (tok.matches("[0-9]+\\.[0-9]+(\\.[0-9]+)?")) {
                            return tok;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no NVIDIA kernel driver
        }
        return null;
    }
}
