package dev.vitrt.tensorrt.nat;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.StdString;

/**
 * A native {@code IProgressMonitor} for engine builds ({@code vitrt_tensorrt.h}: an ABI twin of TensorRT 11's): it
 * keeps the phases in progress, which Java polls, and makes TensorRT stop at its next step once {@link #cancel()} was
 * called. The JavaCPP presets do not let Java implement {@code IProgressMonitor}. Part of the {@link NativeTensorRt}
 * library.
 */
@Platform(include = "vitrt_tensorrt.h", compiler = "cpp11", library = NativeTensorRt.LIBRARY)
@Namespace("vitrt")
public class BuildMonitor extends Pointer {
    static {
        NativeTensorRt.load();
    }

    /**
     * A new monitor with no phase in progress (native memory; {@link #close()} frees it).
     *
     * @throws UnsatisfiedLinkError when the native library is not in this build ({@link NativeTensorRt#load()})
     */
    public BuildMonitor() {
        allocate();
    }

    private native void allocate();

    /** The phases in progress, outermost first, e.g. {@code Building engine 2/7 > Tactic selection 13/48}. */
    public native @StdString String describe();

    /** Makes TensorRT stop the build at its next step ({@code stepComplete} answers false from now on). */
    public native void cancel();

    /** Whether {@link #cancel()} was called. */
    @Cast("bool")
    public native boolean isCancelled();

    /** The address to hand to {@code IBuilderConfig.setProgressMonitor} (this object as an {@code IProgressMonitor}). */
    @Cast("void*")
    public native Pointer asMonitor();

    /** For tests without TensorRT: {@code phaseStart} called the way TensorRT calls it. */
    public static native void startThroughInterface(@Cast("void*") Pointer monitor, String phase, String parent,
                                                    int steps);

    /** For tests without TensorRT: {@code stepComplete} called the way TensorRT calls it. */
    @Cast("bool")
    public static native boolean stepThroughInterface(@Cast("void*") Pointer monitor, String phase, int step);

    /** For tests without TensorRT: {@code phaseFinish} called the way TensorRT calls it. */
    public static native void finishThroughInterface(@Cast("void*") Pointer monitor, String phase);
}
