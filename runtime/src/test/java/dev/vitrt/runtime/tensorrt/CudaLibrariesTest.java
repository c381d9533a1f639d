package dev.vitrt.runtime.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the presets' libraries are looked for, and what a loader failure says is missing. */
class CudaLibrariesTest {

    @Test
    void findsNvidiaWheelsInAVirtualEnvironment(@TempDir Path dir) throws Exception {
        Path site = dir.resolve("venv/lib/python3.12/site-packages");
        Path cu13 = Files.createDirectories(site.resolve("nvidia/cu13/lib"));
        Path cudnn = Files.createDirectories(site.resolve("nvidia/cudnn/lib"));
        Files.createFile(cu13.resolve("libcublas.so.13"));
        Files.createFile(cudnn.resolve("libcudnn_ops.so.9"));
        Path trt = Files.createDirectories(site.resolve("tensorrt_libs"));
        Files.createFile(trt.resolve("libnvinfer.so.11"));
        Map<String, String> env = Map.of("VIRTUAL_ENV", dir.resolve("venv").toString());

        List<Path> dirs = CudaLibraries.searchDirs(env, dir.resolve("home"));
        assertTrue(dirs.contains(cu13) && dirs.contains(cudnn) && dirs.contains(trt), dirs.toString());
        assertEquals(Optional.of(cu13.resolve("libcublas.so.13")), CudaLibraries.find("libcublas.so.13", dirs));
        assertEquals(Optional.of(cudnn.resolve("libcudnn_ops.so.9")), CudaLibraries.find("libcudnn_ops.so.9", dirs));
        assertEquals(Optional.of(trt.resolve("libnvinfer.so.11")), CudaLibraries.find("libnvinfer.so.11", dirs));
        assertEquals(Optional.empty(), CudaLibraries.find("libcudnn_cnn.so.9", dirs));
    }

    @Test
    void explicitFoldersComeFirst(@TempDir Path dir) throws Exception {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Path toolkit = Files.createDirectories(dir.resolve("cuda/lib64"));
        Files.createFile(mine.resolve("libcublas.so.13"));
        Files.createFile(toolkit.resolve("libcublas.so.13"));
        List<Path> dirs = CudaLibraries.searchDirs(Map.of("VITRT_CUDA_LIBS", mine.toString(),
                "CUDA_HOME", dir.resolve("cuda").toString()), dir);
        assertEquals(mine, dirs.get(0));
        assertTrue(dirs.contains(toolkit), dirs.toString());
        assertEquals(Optional.of(mine.resolve("libcublas.so.13")), CudaLibraries.find("libcublas.so.13", dirs));
    }

    @Test
    void theLinkersOwnFoldersIncludeLdLibraryPath() {
        List<Path> dirs = CudaLibraries.linkerDirs(Map.of("LD_LIBRARY_PATH", "/opt/a:/opt/b"));
        assertEquals(List.of(Path.of("/opt/a"), Path.of("/opt/b")), dirs.subList(0, 2));
        assertTrue(dirs.contains(Path.of("/usr/lib/x86_64-linux-gnu")));
    }

    /** JavaCPP's failures as they read on a machine without cuBLAS (recorded from the 1.5.14 presets). */
    @Test
    void namesTheMissingLibraryFromTheLoadersMessage() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("/root/.javacpp/cache/cuda-13.3-9.25-1.5.14-linux-x86_64"
                + ".jar/org/bytedeco/cuda/linux-x86_64/libjnicublas.so: libcublas.so.13: cannot open shared object file:"
                + " No such file or directory");
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("no jnicublas in java.library.path: /usr/lib");
        e.initCause(cause);
        assertEquals("libcublas.so.13", CudaLibraries.missingLibrary(e));
        assertEquals("libjnicublas.so: libcublas.so.13: cannot open shared object file: No such file or directory",
                CudaLibraries.loaderMessage(e));
        String what = CudaLibraries.describeMissing("libcublas.so.13");
        assertTrue(what.startsWith("cuBLAS 13 (libcublas.so.13): ") && what.contains("pip install nvidia-cublas"), what);

        NoClassDefFoundError wrapped = new NoClassDefFoundError("Could not initialize class org.bytedeco.cuda.global.cudart");
        wrapped.initCause(new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib"));
        assertEquals("jnicudart", CudaLibraries.missingLibrary(wrapped));
        assertTrue(CudaLibraries.describeMissing("jnicudart").contains("org.bytedeco:cuda:13.3-9.25-1.5.14:linux-x86_64"));

        assertTrue(CudaLibraries.describeMissing("libcuda.so.1").contains("NVIDIA driver"));
        assertTrue(CudaLibraries.describeMissing("libcudnn_cnn.so.9").contains("nvidia-cudnn-cu13"));
        assertTrue(CudaLibraries.describeMissing("libnvinfer.so.11").contains("-Ptensorrt"));
        assertNull(CudaLibraries.missingLibrary(new UnsatisfiedLinkError("something else")));
    }
}
