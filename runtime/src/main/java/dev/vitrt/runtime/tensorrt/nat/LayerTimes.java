package dev.vitrt.runtime.tensorrt.nat;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * A native TensorRT profiler that records each layer time TensorRT reports ({@code vitrt_layer_times.h}); Java reads
 * the records after the runs. It exists because the JavaCPP presets do not let Java implement {@code IProfiler}.
 * Its JNI library is built by JavaCPP's Builder with the system C++ compiler (see runtime/pom.xml); where it was not
 * built, {@link #load()} says why.
 */
@Platform(include = "vitrt_layer_times.h", compiler = "cpp11")
@Namespace("vitrt")
public class LayerTimes extends Pointer {
    private static final String LOAD_ERROR = tryLoad();

    /** A new, empty collector (native memory; {@link #close()} frees it). */
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
    public static native void reportThroughInterface(Pointer profiler, String layerName, float ms);

    /** Null when the native library loaded, else why not (one line). */
    public static String load() {
        return LOAD_ERROR;
    }

    private static String tryLoad() {
        try {
            Loader.load();
            return null;
        } catch (Throwable t) {
            return "the native layer-time collector (jniLayerTimes) is not in this build: " + t;
        }
    }
}
