package dev.vitrt.tensorrt.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VitRT's ABI twins of TensorRT's interfaces ({@code src/main/native/vitrt_tensorrt.h}) checked against TensorRT's own
 * headers: {@code src/test/native/twin_check.cpp} is compiled against {@code NvInferRuntime.h} and
 * {@code NvOnnxParser.h}, calls the IProfiler twin through TensorRT 11's {@code nvinfer1::IProfiler} declaration
 * (reportLayerTime, getInterfaceInfo, getAPILanguage), and destroys fakes of each TensorRT class through the
 * destructor twins. A twin with another layout (TensorRT 10's IProfiler had reportLayerTime first) crashes or fails it.
 *
 * <p>TensorRT's headers come from {@code -Dvitrt.tensorrt.include=DIR} (e.g. the {@code include} folder of TensorRT's
 * GitHub repository or release tarball), {@code TENSORRT_HOME/include}, or a system install; without them, or
 * without g++, the test is skipped and says so. CUDA's {@code cuda_runtime_api.h} comes from a CUDA toolkit when one
 * is found, else from a two-line stand-in ({@code src/test/native/cuda-stub}).
 */
class TensorRtHeaderTwinTest {

    @Test
    void twinsMatchTensorRtsHeaders(@TempDir Path dir) throws Exception {
        Path gxx = Path.of("/usr/bin/g++");
        assumeTrue(Files.isExecutable(gxx), "no g++ at " + gxx);
        Path trt = tensorRtInclude();
        assumeTrue(trt != null, "TensorRT's headers not found: pass -Dvitrt.tensorrt.include=DIR (the folder holding"
                + " NvInferRuntime.h and NvOnnxParser.h) or set TENSORRT_HOME");
        Path cuda = cudaInclude();
        Path twins = Path.of("src/main/native").toAbsolutePath();
        Path source = Path.of("src/test/native/twin_check.cpp").toAbsolutePath();
        Path exe = dir.resolve("twin_check");
        List<String> compile = List.of(gxx.toString(), "-std=c++17", "-w", "-I" + trt, "-I" + cuda, "-I" + twins,
                source.toString(), "-o", exe.toString());
        Result c = exec(compile, dir);
        assertEquals(0, c.exit(), "compiling " + source + " against " + trt + " failed:\n" + c.output());

        Result r = exec(List.of(exe.toString()), dir);
        System.out.println("TensorRT headers " + trt + ", CUDA headers " + cuda + ":\n" + r.output());
        assertEquals(0, r.exit(), "twin check failed (exit " + r.exit() + "):\n" + r.output());
        assertTrue(r.output().contains("all twins match"), r.output());
    }

    static Path tensorRtInclude() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("vitrt.tensorrt.include", "");
        if (!prop.isBlank()) {
            candidates.add(Path.of(prop));
        }
        String home = System.getenv("TENSORRT_HOME");
        if (home != null && !home.isBlank()) {
            candidates.add(Path.of(home, "include"));
        }
        candidates.addAll(List.of(Path.of("/usr/include/x86_64-linux-gnu"), Path.of("/usr/local/tensorrt/include"),
                Path.of("/usr/include")));
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve("NvInferRuntime.h")) && Files.isRegularFile(p.resolve("NvOnnxParser.h"))) {
                return p;
            }
        }
        return null;
    }

    static Path cudaInclude() throws IOException {
        List<Path> candidates = new ArrayList<>();
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                candidates.add(Path.of(v, "include"));
            }
        }
        candidates.add(Path.of("/usr/local/cuda/include"));
        if (Files.isDirectory(Path.of("/usr/local"))) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/usr/local"), "cuda-*")) {
                s.forEach(p -> candidates.add(p.resolve("include")));
            }
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve("cuda_runtime_api.h"))) {
                return p;
            }
        }
        return Path.of("src/test/native/cuda-stub").toAbsolutePath();
    }

    record Result(int exit, String output) {
    }

    private static Result exec(List<String> cmd, Path dir) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
