package dev.vitrt.tensorrt.nat;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * A native TensorRT profiler that records each layer time TensorRT reports ({@code vitrt_tensorrt.h}: an ABI twin of
 * TensorRT 11's {@code IProfiler}); Java reads the records after the runs. It exists because the JavaCPP presets do
 * not let Java implement {@code IProfiler}. Part of the {@link NativeTensorRt} library.
 */
@Platform(include = "vitrt_tensorrt.h", compiler = "cpp11", library = NativeTensorRt.LIBRARY)
@Namespace("vitrt")
public class LayerTimes extends Pointer {
    static {
        NativeTensorRt.load();
    }

    /**
     * A new, empty collector (native memory; {@link #close()} frees it).
     *
     * @throws UnsatisfiedLinkError when the native library is not in this build ({@link NativeTensorRt#load()})
     */
    public LayerTimes() {
        allocate();
    }

    private native void allocate();

    /** Number of records since the last {@link #clear()}. */
    public native int size();

    /** Layer name of record {@code i}. */
    @Cast("const char*")
    public native BytePointer name(int i);

    /** Time of record {@code i} in milliseconds. */
    public native float ms(int i);

    /** Drops all records. */
    public native void clear();

    /** The address to hand to {@code IExecutionContext.setProfiler} (this object as an {@code nvinfer1::IProfiler}). */
    @Cast("void*")
    public native Pointer asProfiler();

    /**
     * Reports a layer time to {@code profiler} the way TensorRT does (a virtual call through the {@code IProfiler}
     * pointer); for tests that have no TensorRT.
     */
    public static native void reportThroughInterface(@Cast("void*") Pointer profiler, String layerName, float ms);
}
