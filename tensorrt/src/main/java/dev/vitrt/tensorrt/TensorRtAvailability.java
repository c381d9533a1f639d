package dev.vitrt.tensorrt;

import dev.vitrt.tensorrt.nat.NativeTensorRt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;

/**
 * Whether TensorRT can run in this process: the CUDA runtime and TensorRT's native libraries load (with what they
 * need, {@link CudaLibraries}), TensorRT is the major the presets were made for and no older than their minor, VitRT's
 * native helper is built, and a CUDA device is there. Checked once per process (a JavaCPP class whose natives failed
 * to load cannot be loaded again) and cheap afterwards, so callers ask before any expensive work.
 *
 * <p>When something is missing the {@link Status#reason()} is one line naming it (the exact library, with the loader's
 * own message) and how to get it.
 */
public final class TensorRtAvailability {
    /** How a user gets TensorRT's natives; part of every "missing TensorRT" reason. */
    public static final String HOW_TO_GET = "build with -Ptensorrt (`./mvnw -Ptensorrt -DskipTests package`) to add the"
            + " TensorRT 11.2 and CUDA 13 natives, or put a system TensorRT 11 (11.2 or newer) and CUDA 13 on the library"
            + " path (LD_LIBRARY_PATH)";

    /**
     * A CUDA device.
     *
     * @param index             the CUDA ordinal
     * @param name              e.g. {@code NVIDIA H200}
     * @param computeCapability e.g. {@code 9.0}
     * @param memoryBytes       total device memory
     */
    public record Gpu(int index, String name, String computeCapability, long memoryBytes) {
    }

    /**
     * The outcome of the check.
     *
     * @param available         everything needed is there
     * @param reason            one line: what is missing and how to get it, or what was found
     * @param tensorRtVersion   the TensorRT that loaded, e.g. {@code 11.2.1}, or null
     * @param cudaRuntime       e.g. {@code 13.3}, or null
     * @param cudaDriver        CUDA version the driver supports, e.g. {@code 13.0}, or null
     * @param gpuName           device 0's name, or null
     * @param computeCapability device 0's compute capability, e.g. {@code 9.0}, or null
     * @param gpus              every CUDA device (empty when none)
     * @param missing           the library found missing ({@code libcublas.so.13}, {@code jnicudart}...), or null
     * @param deviceProblem     why there is no usable CUDA device, or null
     * @param libraries         where each library the presets need was found ({@link CudaLibraries#describe})
     */
    public record Status(boolean available, String reason, String tensorRtVersion, String cudaRuntime,
                         String cudaDriver, String gpuName, String computeCapability, List<Gpu> gpus, String missing,
                         String deviceProblem, Map<String, String> libraries) {
    }

    private static volatile Status cached;

    private TensorRtAvailability() {
    }

    /** Checks (once) whether TensorRT can run here. */
    public static Status check() {
        Status s = cached;
        if (s == null) {
            synchronized (TensorRtAvailability.class) {
                s = cached;
                if (s == null) {
                    s = probe();
                    cached = s;
                }
            }
        }
        return s;
    }

    /** Throws {@link TensorRtUnavailableException} with the reason unless TensorRT can run here. */
    public static Status require() throws TensorRtUnavailableException {
        Status s = check();
        if (!s.available()) {
            throw new TensorRtUnavailableException(s.reason());
        }
        return s;
    }

    /** The TensorRT version the presets were compiled against, e.g. {@code 11.2.1}, from their jar (no natives). */
    public static String presetsVersion() {
        Package p = nvinfer.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v != null ? v : "11.2";
    }

    private static Status probe() {
        List<CudaLibraries.Found> found = CudaLibraries.preload();
        Probe p = new Probe();
        p.found = found;
        p.tensorRtAbsent = found.stream().anyMatch(f -> f.library().soname().startsWith("libnvinfer.so")
                && !f.bundled() && f.path() == null);
        // JavaCPP's own JNI library first: without it every preset fails with a misleading message
        if (!p.load(org.bytedeco.javacpp.presets.javacpp.class)) {
            return p.missing();
        }
        if (!p.load(cudart.class)) {
            return p.missing();
        }
        p.queryCuda();
        if (!p.load(nvinfer.class)) {
            return p.missing();
        }
        int compiled = nvinfer.NV_TENSORRT_VERSION;
        p.trt = nvinfer.getInferLibMajorVersion() + "." + nvinfer.getInferLibMinorVersion() + "."
                + nvinfer.getInferLibPatchVersion();
        String versionProblem = versionProblem(compiled, nvinfer.getInferLibMajorVersion(),
                nvinfer.getInferLibMinorVersion());
        if (versionProblem != null) {
            return p.status(false, "TensorRT cannot run here: " + versionProblem + "; " + HOW_TO_GET, null);
        }
        if (!p.load(nvonnxparser.class)) {
            return p.missing();
        }
        String helper = NativeTensorRt.load();
        if (helper != null) {
            return p.status(false, "TensorRT cannot run here: " + helper, null);
        }
        if (p.deviceProblem != null) {
            return p.status(false, "TensorRT cannot run here: " + p.deviceProblem, null);
        }
        Gpu g = p.gpus.get(0);
        return p.status(true, "TensorRT " + p.trt + " on " + g.name() + " (compute capability " + g.computeCapability()
                + ", CUDA runtime " + p.cudaRuntime + ", driver CUDA " + p.cudaDriver + ")", null);
    }

    /**
     * Null when a TensorRT {@code major.minor} can run what the presets were compiled against ({@code compiled} as
     * {@code NV_TENSORRT_VERSION}: major * 10000 + minor * 100 + patch): the same major, and the same minor or newer
     * (TensorRT keeps its ABI within a major, but an older minor lacks what newer headers call). Else why not.
     */
    static String versionProblem(int compiled, int major, int minor) {
        int cMajor = compiled / 10000;
        int cMinor = compiled / 100 % 100;
        if (major != cMajor) {
            return "TensorRT " + major + "." + minor + " found, but these presets need TensorRT " + cMajor + ".x";
        }
        if (minor < cMinor) {
            return "TensorRT " + major + "." + minor + " found, but these presets need TensorRT " + cMajor + "." + cMinor
                    + " or newer";
        }
        return null;
    }

    /** The state of one probe. */
    private static final class Probe {
        String cudaRuntime;
        String cudaDriver;
        String trt;
        String deviceProblem;
        boolean tensorRtAbsent;
        List<CudaLibraries.Found> found = List.of();
        final List<Gpu> gpus = new ArrayList<>();
        Throwable failure;

        /** Loads a JavaCPP preset's natives; any failure (UnsatisfiedLinkError, NoClassDefFoundError...) is kept. */
        boolean load(Class<?> preset) {
            try {
                Loader.load(preset);
                return true;
            } catch (Throwable t) {
                failure = t;
                return false;
            }
        }

        void queryCuda() {
            int[] v = new int[1];
            if (cudart.cudaRuntimeGetVersion(v) == cudart.cudaSuccess) {
                cudaRuntime = cudaVersion(v[0]);
            }
            if (cudart.cudaDriverGetVersion(v) == cudart.cudaSuccess && v[0] > 0) {
                cudaDriver = cudaVersion(v[0]);
            }
            int[] count = new int[1];
            int err = cudart.cudaGetDeviceCount(count);
            if (err != cudart.cudaSuccess || count[0] == 0) {
                deviceProblem = "no CUDA device (" + (err != cudart.cudaSuccess
                        ? "cudaGetDeviceCount: " + cudart.cudaGetErrorString(err).getString() : "0 devices")
                        + "): TensorRT needs an NVIDIA GPU with a driver for CUDA 13"
                        + (cudaDriver == null ? "" : " (the driver supports CUDA " + cudaDriver + ")");
                return;
            }
            for (int i = 0; i < count[0]; i++) {
                try (cudaDeviceProp p = new cudaDeviceProp()) {
                    if (cudart.cudaGetDeviceProperties(p, i) == cudart.cudaSuccess) {
                        gpus.add(new Gpu(i, p.name().getString().trim(), p.major() + "." + p.minor(),
                                p.totalGlobalMem()));
                    }
                }
            }
            if (gpus.isEmpty()) {
                deviceProblem = "no CUDA device (cudaGetDeviceProperties failed on all " + count[0] + " devices)";
            }
        }

        Status missing() {
            String name = CudaLibraries.missingLibrary(failure);
            String what = CudaLibraries.describeMissing(name);
            String reason = "TensorRT cannot run here: missing " + (what != null ? what : "a native library")
                    + " (loader: " + CudaLibraries.loaderMessage(failure) + ")"
                    + (what == null ? "; " + HOW_TO_GET
                    : tensorRtAbsent && !what.contains("-Ptensorrt") ? "; TensorRT 11 is not here either: " + HOW_TO_GET
                    : "")
                    + (deviceProblem != null ? "; also " + deviceProblem : "");
            return status(false, reason, name);
        }

        /** The status, with where each library came from as this process has them mapped now. */
        Status status(boolean ok, String reason, String missing) {
            Map<String, String> libraries = CudaLibraries.describe(found);
            Gpu g = gpus.isEmpty() ? null : gpus.get(0);
            return new Status(ok, reason, trt, cudaRuntime, cudaDriver, g == null ? null : g.name(),
                    g == null ? null : g.computeCapability(), List.copyOf(gpus), missing, deviceProblem, libraries);
        }
    }

    private static String cudaVersion(int v) {
        return (v / 1000) + "." + (v % 1000) / 10;
    }
}
