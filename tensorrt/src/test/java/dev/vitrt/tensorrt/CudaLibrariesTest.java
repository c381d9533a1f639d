package dev.vitrt.tensorrt;

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

    @Test
    void theMappedFileIsWhatLoaded(@TempDir Path dir) throws Exception {
        Path maps = dir.resolve("maps");
        Files.writeString(maps, String.join("\n",
                "7f0000000000-7f0000001000 r-xp 00000000 fe:01 123 /usr/local/cuda-13.0/lib/libcudart.so.13.0.96",
                "7f0000002000-7f0000003000 r-xp 00000000 fe:01 124 /opt/trt/lib/libnvinfer.so.11.2.1",
                "7f0000004000-7f0000005000 r-xp 00000000 fe:01 125 /tmp/stubs/libcuda.so.1",
                "7f0000006000-7f0000007000 r-xp 00000000 fe:01 126 /usr/lib/libcublasLt.so.13.1.0.3",
                "7f0000008000-7f0000009000 rw-p 00000000 00:00 0 [heap]") + "\n");
        Map<String, String> m = CudaLibraries.mappedFiles(maps);
        assertEquals("/usr/local/cuda-13.0/lib/libcudart.so.13.0.96", m.get("libcudart.so.13"));
        assertEquals("/opt/trt/lib/libnvinfer.so.11.2.1", m.get("libnvinfer.so.11"));
        assertEquals("/tmp/stubs/libcuda.so.1", m.get("libcuda.so.1"));
        assertEquals("/usr/lib/libcublasLt.so.13.1.0.3", m.get("libcublasLt.so.13"));
        assertNull(m.get("libcublas.so.13"), "libcublasLt is not libcublas");
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
