package dev.vitrt.tensorrt;

import dev.vitrt.runtime.BackendException;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.SizeTPointer;

/** The few CUDA runtime calls VitRT makes, with errors turned into exceptions that name the call. */
public final class Cuda {
    private Cuda() {
    }

    /** Throws unless {@code err} is {@code cudaSuccess}. */
    public static void check(int err, String what) throws BackendException {
        if (err != cudart.cudaSuccess) {
            throw new BackendException("CUDA error in " + what + ": " + errorName(err));
        }
    }

    /** {@code cudaErrorX: description} of a CUDA error code. */
    public static String errorName(int err) {
        return cudart.cudaGetErrorName(err).getString() + ": " + cudart.cudaGetErrorString(err).getString();
    }

    /** Makes {@code device} current on this thread; needed before each run, since threads differ. */
    public static void setDevice(int device) throws BackendException {
        check(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    }

    /**
     * Free and total memory of {@code device} in bytes ({@code cudaMemGetInfo}), as {@code {free, total}}.
     *
     * @throws BackendException when CUDA cannot answer (TensorRT's availability was not checked, or no device)
     */
    public static long[] memoryInfo(int device) throws BackendException {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        if (s.gpus().isEmpty()) {
            throw new BackendException("no CUDA device: " + s.reason());
        }
        setDevice(device);
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            check(cudart.cudaMemGetInfo(free, total), "cudaMemGetInfo");
            return new long[] {free.get(), total.get()};
        }
    }
}
