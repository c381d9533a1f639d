package dev.vitrt.runtime.bench;

/**
 * A prepared run on a GPU that also measures what trtexec calls GPU Compute Time: CUDA events recorded on the run's
 * stream around the enqueue (or the CUDA graph launch), so the figure leaves out the host-device copies and host
 * overhead that the run's wall time (its host latency) includes.
 */
public interface GpuTimed {
    /** GPU compute time of the last run, in milliseconds (NaN before the first run). */
    double lastGpuComputeMs();

    /** Whether runs replay a CUDA graph of the enqueue; when asked for and not possible, {@link #cudaGraphNote()} says why. */
    boolean cudaGraph();

    /** Why a CUDA graph was asked for and not used (one line), or null. */
    String cudaGraphNote();
}
