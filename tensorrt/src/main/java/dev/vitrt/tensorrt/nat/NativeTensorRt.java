package dev.vitrt.tensorrt.nat;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * VitRT's small native library for TensorRT ({@code libjnivitrt.so}, {@code src/main/native/vitrt_tensorrt.h}),
 * compiled by JavaCPP's Maven plugin with the system C++ compiler; it needs no TensorRT or CUDA headers or libraries.
 * It runs the virtual destructors of TensorRT's objects (JavaCPP's {@code close()} does not) and hosts the
 * {@link LayerTimes} profiler. Where it was not built, {@link #load()} says why.
 */
@Platform(include = "vitrt_tensorrt.h", compiler = "cpp11", library = NativeTensorRt.LIBRARY)
@Namespace("vitrt")
public final class NativeTensorRt {
    /** The JNI library's name. */
    public static final String LIBRARY = "jnivitrt";
    private static final String LOAD_ERROR = tryLoad();

    private NativeTensorRt() {
    }

    /** Null when the native library loaded, else why not (one line). */
    public static String load() {
        return LOAD_ERROR;
    }

    private static String tryLoad() {
        try {
            Loader.load(NativeTensorRt.class);
            return null;
        } catch (Throwable t) {
            return "VitRT's native TensorRT helper (lib" + LIBRARY + ".so) is not in this build (" + t.getMessage()
                    + "); it is compiled where a C++ compiler (g++) is installed: install one and rebuild";
        }
    }

    /** Deletes a TensorRT object derived from {@code nvinfer1::INoCopy} through its virtual destructor. */
    public static native void destroyNoCopy(@Cast("void*") Pointer object);

    /** Deletes an {@code nvonnxparser::IParser} through its virtual destructor. */
    public static native void destroyParser(@Cast("void*") Pointer object);

    /** For tests: a native object with a virtual destructor where {@code INoCopy} has it. */
    @Cast("void*")
    public static native Pointer newFakeNoCopy();

    /** For tests: how many {@link #newFakeNoCopy()} objects were destroyed so far. */
    public static native int fakeNoCopyDestroyed();
}
