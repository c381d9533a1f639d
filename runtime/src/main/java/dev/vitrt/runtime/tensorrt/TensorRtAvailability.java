package dev.vitrt.runtime.tensorrt;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;

/**
 * Whether TensorRT can run in this process: the CUDA runtime and TensorRT's native libraries load, their versions are
 * the ones the presets were made for, and a CUDA device is there. Checked once per process (a JavaCPP class whose
 * natives failed to load cannot be loaded again) and cheap afterwards, so callers ask before any expensive work.
 *
 * <p>When something is missing the {@link Status#reason()} is one line naming it and how to get it.
 */
public final class TensorRtAvailability {
    /** How a user gets the natives, appended to every "missing library" reason. */
    public static final String HOW_TO_GET = "build with -Ptensorrt to add the TensorRT 10.15 and CUDA 13.1 redist jars,"
            + " or install TensorRT 10.x and CUDA 13 on the library path (LD_LIBRARY_PATH)";

    /**
     * The outcome of the check.
     *
     * @param available        everything needed is there
     * @param reason           one line: what is missing and how to get it, or what was found
     * @param tensorRtVersion  e.g. {@code 10.15.1}, or null when TensorRT did not load
     * @param cudaRuntime      e.g. {@code 13.1}, or null
     * @param cudaDriver       CUDA version the driver supports, e.g. {@code 13.0}, or null
     * @param gpuName          device 0's name, or null
     * @param computeCapability device 0's compute capability, e.g. {@code 9.0}, or null
     */
    public record Status(boolean available, String reason, String tensorRtVersion, String cudaRuntime,
                         String cudaDriver, String gpuName, String computeCapability) {
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

    private static Status probe() {
        List<String> missing = new ArrayList<>();
        String cudaRuntime = null;
        String cudaDriver = null;
        String gpu = null;
        String cc = null;
        String deviceProblem = null;
        boolean cudaLoaded = load(cudart.class);
        if (!cudaLoaded) {
            missing.add("the CUDA 13 runtime (libcudart.so.13)");
        } else {
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
                        ? cudart.cudaGetErrorString(err).getString() : "0 devices")
                        + "): TensorRT needs an NVIDIA GPU with a driver for CUDA 13"
                        + (cudaDriver == null ? "" : " (the driver supports CUDA " + cudaDriver + ")");
            } else {
                cudaDeviceProp p = new cudaDeviceProp();
                if (cudart.cudaGetDeviceProperties(p, 0) == cudart.cudaSuccess) {
                    gpu = p.name().getString().trim();
                    cc = p.major() + "." + p.minor();
                }
                p.close();
            }
        }
        String trt = null;
        if (!cudaLoaded || !load(nvinfer.class)) {
            missing.add("the TensorRT 10 natives (libnvinfer.so.10)");
        } else {
            trt = nvinfer.getInferLibMajorVersion() + "." + nvinfer.getInferLibMinorVersion() + "."
                    + nvinfer.getInferLibPatchVersion();
            if (nvinfer.getInferLibMajorVersion() != 10) {
                return new Status(false, "TensorRT " + trt + " found, but these presets need TensorRT 10.x; "
                        + HOW_TO_GET, trt, cudaRuntime, cudaDriver, gpu, cc);
            }
            if (!load(nvonnxparser.class)) {
                missing.add("TensorRT's ONNX parser (libnvonnxparser.so.10)");
            }
        }
        if (!missing.isEmpty()) {
            String reason = "TensorRT cannot run here: missing " + String.join(" and ", missing) + "; " + HOW_TO_GET
                    + (deviceProblem != null ? "; also " + deviceProblem : "");
            return new Status(false, reason, trt, cudaRuntime, cudaDriver, gpu, cc);
        }
        if (deviceProblem != null) {
            return new Status(false, "TensorRT cannot run here: " + deviceProblem, trt, cudaRuntime, cudaDriver,
                    gpu, cc);
        }
        return new Status(true, "TensorRT " + trt + " on " + gpu + " (compute capability " + cc + ", CUDA runtime "
                + cudaRuntime + ", driver CUDA " + cudaDriver + ")", trt, cudaRuntime, cudaDriver, gpu, cc);
    }

    /** Loads a JavaCPP preset's natives; any failure (UnsatisfiedLinkError, NoClassDefFoundError...) means missing. */
    private static boolean load(Class<?> preset) {
        try {
            Loader.load(preset);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    private static String cudaVersion(int v) {
        return (v / 1000) + "." + (v % 1000) / 10;
    }
}
