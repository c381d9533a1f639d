package dev.vitrt.tensorrt;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared libraries TensorRT's JavaCPP presets load besides TensorRT itself, and where users have them. The
 * TensorRT preset inherits the cuBLAS, cuDNN and NVRTC presets, so their JNI wrappers load whether or not TensorRT uses
 * them (it does not by default), and those need {@code libcublas.so.13}, {@code libcublasLt.so.13} and cuDNN 9. No
 * Maven artifact ships cuBLAS or cuDNN; a CUDA toolkit, a cuDNN install, or NVIDIA's Python wheels do (every PyTorch
 * GPU install has {@code nvidia-cublas} and {@code nvidia-cudnn-cu13}, in {@code site-packages/nvidia/*&#47;lib}).
 *
 * <p>{@link #preload} finds each library the dynamic linker would not find by itself and loads it by path first, so
 * that the JNI wrappers which need it then link against it. TensorRT, CUDA's runtime and NVRTC come with the JavaCPP
 * redist jars ({@code -Ptensorrt}); where those are on the class path they are used and not searched for, and
 * elsewhere a system install or NVIDIA's wheels ({@code tensorrt_libs}, {@code nvidia/cu13/lib}) serve.
 */
public final class CudaLibraries {

    /**
     * A library the presets need.
     *
     * @param soname   e.g. {@code libcublas.so.13}
     * @param what     what it is, e.g. {@code cuBLAS 13}
     * @param howToGet one clause, e.g. {@code install the CUDA 13 toolkit or pip install nvidia-cublas}
     * @param redist   the JavaCPP redist jar's resource folder that may carry it ({@code org/bytedeco/cuda}), or null
     */
    public record Library(String soname, String what, String howToGet, String redist) {
        Library(String soname, String what, String howToGet) {
            this(soname, what, howToGet, null);
        }

        /** Whether a JavaCPP redist jar on the class path carries it (then JavaCPP loads that copy). */
        public boolean bundled() {
            return redist != null && CudaLibraries.class.getClassLoader()
                    .getResource(redist + "/linux-x86_64/" + soname) != null;
        }

        /** {@code cuBLAS 13 (libcublas.so.13)}. */
        public String describe() {
            return what + " (" + soname + ")";
        }
    }

    /**
     * Where a library was found.
     *
     * @param library the library
     * @param path    where it is, or null when it is in none of the searched folders (the linker may still find it)
     * @param loaded  whether it was loaded from {@code path} here (false: the linker finds it, or it is missing)
     * @param bundled whether a JavaCPP redist jar carries it (then that copy is used, and it is not searched for)
     */
    public record Found(Library library, Path path, boolean loaded, boolean bundled) {
    }

    private static final String CUBLAS_HOW = "no Maven artifact ships it: install the CUDA 13 toolkit, or `pip install"
            + " nvidia-cublas` (PyTorch GPU installs have it), or add the folder that holds it to LD_LIBRARY_PATH";
    private static final String CUDNN_HOW = "no Maven artifact ships it: install cuDNN 9 for CUDA 13, or `pip install"
            + " nvidia-cudnn-cu13` (PyTorch GPU installs have it), or add the folder that holds it to LD_LIBRARY_PATH";
    private static final String REDIST_HOW = "build with -Ptensorrt (the JavaCPP redist jars carry it), or install"
            + " the CUDA 13 toolkit, or add the folder that holds it to LD_LIBRARY_PATH";

    /** What the presets load, in load order (a library before the ones that need it). */
    public static final List<Library> PRESET_LIBRARIES = List.of(
            new Library("libcudart.so.13", "the CUDA 13 runtime", REDIST_HOW, "org/bytedeco/cuda"),
            new Library("libnvrtc.so.13", "NVRTC 13", REDIST_HOW, "org/bytedeco/cuda"),
            new Library("libcublasLt.so.13", "cuBLASLt 13", CUBLAS_HOW),
            new Library("libcublas.so.13", "cuBLAS 13", CUBLAS_HOW),
            new Library("libcudnn_graph.so.9", "cuDNN 9 (graph)", CUDNN_HOW),
            new Library("libcudnn_ops.so.9", "cuDNN 9 (ops)", CUDNN_HOW),
            new Library("libcudnn_cnn.so.9", "cuDNN 9 (cnn)", CUDNN_HOW),
            new Library("libcudnn_adv.so.9", "cuDNN 9 (adv)", CUDNN_HOW),
            new Library("libcudnn.so.9", "cuDNN 9", CUDNN_HOW),
            new Library("libnvinfer.so.11", "TensorRT 11", TensorRtAvailability.HOW_TO_GET, "org/bytedeco/tensorrt"),
            new Library("libnvinfer_plugin.so.11", "TensorRT 11's plugins", TensorRtAvailability.HOW_TO_GET,
                    "org/bytedeco/tensorrt"),
            new Library("libnvonnxparser.so.11", "TensorRT 11's ONNX parser", TensorRtAvailability.HOW_TO_GET,
                    "org/bytedeco/tensorrt"));

    /** Libraries that are not found by name here but by the loader's message. */
    private static final List<Library> OTHERS = List.of(
            new Library("libcuda.so.1", "the NVIDIA driver's CUDA library",
                    "install an NVIDIA driver that supports CUDA 13 (this machine needs an NVIDIA GPU)"));

    private static final Pattern CANNOT_OPEN =
            Pattern.compile("(lib[A-Za-z0-9_+.-]+?\\.so(?:\\.[0-9]+)*): cannot open shared object file");
    private static final Pattern NO_JNI = Pattern.compile("no (jni[A-Za-z0-9_]+) in java\\.library\\.path");

    private static volatile List<Found> preloaded;

    private CudaLibraries() {
    }

    /**
     * Loads, by path, each library of {@link #PRESET_LIBRARIES} that is in a searched folder the dynamic linker does
     * not search itself; once per process.
     *
     * @return where each library was found
     */
    public static synchronized List<Found> preload() {
        if (preloaded == null) {
            List<Path> linker = linkerDirs(System.getenv());
            List<Path> dirs = searchDirs(System.getenv(), Path.of(System.getProperty("user.home", "/")));
            List<Found> out = new ArrayList<>();
            for (Library lib : PRESET_LIBRARIES) {
                if (lib.bundled()) { // a second copy loaded by path would coexist with the jar's: never load both
                    out.add(new Found(lib, null, false, true));
                    continue;
                }
                Optional<Path> in = find(lib.soname(), dirs);
                boolean loaded = false;
                if (in.isPresent() && !linker.contains(in.get().getParent())) {
                    try {
                        System.load(in.get().toString());
                        loaded = true;
                    } catch (UnsatisfiedLinkError e) {
                        // left to the presets' loader, whose message then names what is wrong
                    }
                }
                out.add(new Found(lib, in.orElse(null), loaded, false));
            }
            preloaded = List.copyOf(out);
        }
        return preloaded;
    }

    /** The first of {@code dirs} that holds {@code soname}. */
    static Optional<Path> find(String soname, List<Path> dirs) {
        for (Path d : dirs) {
            Path f = d.resolve(soname);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * Folders searched, in order: {@code VITRT_CUDA_LIBS}, the dynamic linker's own ({@link #linkerDirs}), a CUDA
     * toolkit ({@code CUDA_HOME}, {@code CUDA_PATH}, {@code /usr/local/cuda*}), then NVIDIA's Python wheels
     * ({@code nvidia/*&#47;lib} and {@code tensorrt_libs} in the site-packages of {@code VIRTUAL_ENV}, {@code CONDA_PREFIX},
     * {@code ~/.local}, {@code /usr/local}, {@code /usr} and {@code /opt/conda}).
     */
    static List<Path> searchDirs(Map<String, String> env, Path home) {
        Set<Path> dirs = new LinkedHashSet<>();
        pathList(env.get("VITRT_CUDA_LIBS")).forEach(dirs::add);
        dirs.addAll(linkerDirs(env));
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                dirs.add(Path.of(v, "lib64"));
                dirs.add(Path.of(v, "targets", "x86_64-linux", "lib"));
            }
        }
        for (Path cuda : children(Path.of("/usr/local"), "cuda*")) {
            dirs.add(cuda.resolve("lib64"));
            dirs.add(cuda.resolve("targets/x86_64-linux/lib"));
        }
        List<Path> prefixes = new ArrayList<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                prefixes.add(Path.of(v));
            }
        }
        prefixes.addAll(List.of(home.resolve(".local"), Path.of("/usr/local"), Path.of("/usr"), Path.of("/opt/conda")));
        for (Path prefix : prefixes) {
            for (Path site : sitePackages(prefix)) {
                for (Path pkg : children(site.resolve("nvidia"), "*")) {
                    dirs.add(pkg.resolve("lib"));
                }
                dirs.add(site.resolve("tensorrt_libs"));
            }
        }
        dirs.removeIf(d -> !Files.isDirectory(d));
        return List.copyOf(dirs);
    }

    /** Folders the dynamic linker searches itself: {@code LD_LIBRARY_PATH}, ld.so.conf's, and the system's. */
    static List<Path> linkerDirs(Map<String, String> env) {
        Set<Path> dirs = new LinkedHashSet<>(pathList(env.get("LD_LIBRARY_PATH")));
        dirs.addAll(ldSoConfDirs(Path.of("/etc/ld.so.conf"), 0));
        for (String d : List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib",
                "/usr/lib")) {
            dirs.add(Path.of(d));
        }
        return List.copyOf(dirs);
    }

    private static List<Path> ldSoConfDirs(Path conf, int depth) {
        List<Path> out = new ArrayList<>();
        if (depth > 3 || !Files.isRegularFile(conf)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(conf)) {
                String l = line.strip();
                if (l.startsWith("include ")) {
                    String glob = l.substring(8).strip();
                    Path p = Path.of(glob);
                    for (Path f : children(p.getParent(), p.getFileName().toString())) {
                        out.addAll(ldSoConfDirs(f, depth + 1));
                    }
                } else if (l.startsWith("/")) {
                    out.add(Path.of(l));
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable configuration adds nothing
        }
        return out;
    }

    private static List<Path> sitePackages(Path prefix) {
        List<Path> out = new ArrayList<>();
        for (Path py : children(prefix.resolve("lib"), "python3*")) {
            out.add(py.resolve("site-packages"));
            out.add(py.resolve("dist-packages"));
        }
        out.add(prefix.resolve("lib/python3/dist-packages"));
        return out;
    }

    private static List<Path> children(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(out::add);
        } catch (IOException | RuntimeException e) {
            // unreadable: nothing there for us
        }
        out.sort(null);
        return out;
    }

    private static List<Path> pathList(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Stream.of(list.split(":")).filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /**
     * What a native loading failure says is missing: the first {@code libX.so.N: cannot open shared object file} along
     * the cause chain, else the JNI library JavaCPP could not find ({@code jniX}), else null.
     */
    static String missingLibrary(Throwable t) {
        String jni = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = String.valueOf(c.getMessage());
            Matcher open = CANNOT_OPEN.matcher(m);
            if (open.find()) {
                return open.group(1);
            }
            Matcher j = NO_JNI.matcher(m);
            if (jni == null && j.find()) {
                jni = j.group(1);
            }
        }
        return jni;
    }

    /**
     * The loader's own message (innermost cause that names a file), one line, with JavaCPP's cache folder left out of
     * paths: for reasons.
     */
    static String loaderMessage(Throwable t) {
        String best = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null) {
                best = c.getMessage();
            }
        }
        if (best == null) {
            return t.toString();
        }
        String line = best.lines().findFirst().orElse(best).replaceAll("/\\S*/(lib[A-Za-z0-9_+.-]+\\.so)", "$1");
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }

    /**
     * What is missing and how to get it, for a soname or JNI library name from {@link #missingLibrary}: e.g.
     * {@code cuBLAS 13 (libcublas.so.13): no Maven artifact ships it: ...}.
     */
    static String describeMissing(String name) {
        if (name == null) {
            return null;
        }
        if (name.startsWith("jni")) {
            String artifact = jniArtifact(name);
            return "JavaCPP's JNI library " + name + " (add " + artifact + " to the class path; the Maven build does)";
        }
        for (Library l : PRESET_LIBRARIES) {
            if (l.soname().equals(name)) {
                return l.describe() + ": " + l.howToGet();
            }
        }
        for (Library l : OTHERS) {
            if (l.soname().equals(name)) {
                return l.describe() + ": " + l.howToGet();
            }
        }
        return name + ": add the folder that holds it to LD_LIBRARY_PATH";
    }

    private static String jniArtifact(String jni) {
        String n = jni.toLowerCase(Locale.ROOT);
        if (n.equals("jnijavacpp")) {
            return "org.bytedeco:javacpp:1.5.14:linux-x86_64";
        }
        if (n.startsWith("jninvinfer") || n.startsWith("jninvonnxparser")) {
            return "org.bytedeco:tensorrt:11.2-1.5.14:linux-x86_64";
        }
        return "org.bytedeco:cuda:13.3-9.25-1.5.14:linux-x86_64";
    }

    /**
     * For reports: each library and where it came from: the file this process mapped ({@code /proc/self/maps}, the
     * truth once the presets loaded), else where the search found it, else that it was not found.
     */
    public static Map<String, String> describe(List<Found> found) {
        Map<String, String> mapped = mappedFiles(Path.of("/proc/self/maps"));
        Map<String, String> m = new LinkedHashMap<>();
        for (Found f : found) {
            String soname = f.library().soname();
            String loaded = mapped.get(soname);
            m.put(soname, loaded != null ? "loaded " + loaded
                    : f.bundled() ? "JavaCPP redist jar (not loaded yet)"
                    : f.path() == null ? "not in the searched folders"
                    : f.path() + " (found, not loaded)");
        }
        String driver = mapped.get("libcuda.so.1");
        if (driver != null) {
            m.put("libcuda.so.1", "loaded " + driver);
        }
        return m;
    }

    /**
     * The shared libraries mapped into this process, by soname: a mapped file {@code libcudart.so.13.0.96} counts for
     * {@code libcudart.so.13}; only the presets' libraries and the driver's are looked for.
     */
    static Map<String, String> mappedFiles(Path maps) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> wanted = new java.util.ArrayList<>();
        PRESET_LIBRARIES.forEach(l -> wanted.add(l.soname()));
        wanted.add("libcuda.so.1");
        try {
            for (String line : Files.readAllLines(maps)) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String file = line.substring(slash).strip();
                String name = Path.of(file).getFileName().toString();
                for (String soname : wanted) {
                    if ((name.equals(soname) || name.startsWith(soname + ".")) && !out.containsKey(soname)) {
                        out.put(soname, file);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to say
        }
        return out;
    }
}
