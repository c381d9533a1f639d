package dev.vitrt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.classify.ClassNames;
import dev.vitrt.runtime.classify.Classification;
import dev.vitrt.runtime.classify.ImageClassifier;
import dev.vitrt.runtime.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example, taken from the README's own text, compiled and run on a small model and images, so that
 * it cannot go stale; and the README's test command is what CI runs.
 */
class ReadmeJavaExampleTest {
    private static final Path ROOT = projectRoot();

    @Test
    void theJavaExampleCompilesRunsAndPrintsTheTopClasses(@TempDir Path dir) throws Exception {
        String source = javaBlockOf(section(Files.readString(ROOT.resolve("README.md")), "## The Java API"));
        Matcher cls = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(cls.find(), "the example is a public class");
        Path src = Files.writeString(Files.createDirectories(dir.resolve("src")).resolve(cls.group(1) + ".java"), source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null, List.of("-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(), "-proc:none"), null,
                javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8).getJavaFileObjects(src)).call();
        assertTrue(ok, "the README's example does not compile:\n" + diagnostics);

        Path model = TinyModels.taggedCnn(dir.resolve("mobilevitv2_050.onnx"), 32, 8, 1000, true,
                Map.of("vitrt.mean", "0.5,0.5,0.5", "vitrt.std", "0.5,0.5,0.5", "vitrt.crop_pct", "0.95"));
        List<Path> images = new ArrayList<>();
        for (String name : List.of("cat.jpg", "dog.jpg", "bird.jpg", "fish.png", "car.png", "tree.png")) {
            images.add(image(dir.resolve(name), 40 + images.size() * 7, 60 - images.size() * 5, images.size()));
        }
        List<String> args = new ArrayList<>(List.of(model.toString()));
        images.forEach(p -> args.add(p.toString()));
        String out = runMain(classes, cls.group(1), args.toArray(String[]::new));
        String[] lines = out.split("\n");

        // the expected answers, through the same public API
        List<List<Classification>> expected = new ArrayList<>();
        try (ImageClassifier c = ImageClassifier.open(model)) {
            for (Path p : images) {
                expected.add(c.classify(p, 5));
            }
        }
        assertEquals(5 + images.size() + 1, lines.length, out);
        for (int i = 0; i < 5; i++) { // the first image's top 5: name (ImageNet-1k's), probability
            Classification c = expected.get(0).get(i);
            assertEquals(ClassNames.imageNet1k().name(c.index()), c.name());
            assertTrue(lines[i].startsWith(c.name().substring(0, Math.min(24, c.name().length()))), lines[i]);
            assertProbability(c, lines[i]);
        }
        for (int i = 0; i < images.size(); i++) { // every image's top class, from the batching threads
            Classification top = expected.get(i).get(0);
            assertTrue(lines[5 + i].startsWith(images.get(i) + ": " + top.name() + " "), lines[5 + i]);
            assertProbability(top, lines[5 + i]);
        }
        Matcher runs = Pattern.compile(images.size() + " images in (\\d+) runs").matcher(lines[lines.length - 1]);
        assertTrue(runs.matches(), lines[lines.length - 1]);
        int n = Integer.parseInt(runs.group(1));
        assertTrue(n >= 1 && n <= images.size(), out);
    }

    @Test
    void ciRunsTheReadmesTestCommand() throws IOException {
        String setUp = section(Files.readString(ROOT.resolve("README.md")), "## Set-up");
        Matcher m = Pattern.compile("(?m)^(\\S.*?)\\s+# runs the test suite").matcher(setUp);
        assertTrue(m.find(), "the README's set-up names a test command");
        String command = m.group(1).trim();
        assertTrue(command.startsWith("./mvnw "), "the test command uses the wrapper: " + command);
        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run"));
        assertTrue(ci.stream().anyMatch(l -> l.trim().equals(command)), ".ci/run does not run '" + command + "'");
    }

    /** The line ends with the class's probability as printed with 3 decimals (batched runs may round apart). */
    private static void assertProbability(Classification c, String line) {
        double printed = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).replace(',', '.'));
        assertEquals(c.probability(), printed, 0.0006, line);
    }

    /** The text under {@code heading} up to the next heading of the same or a higher level. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README has no section '" + heading + "'");
        int next = markdown.indexOf("\n## ", start + heading.length() + 2);
        return markdown.substring(start, next < 0 ? markdown.length() : next);
    }

    /** The one ```java block of a section. */
    static String javaBlockOf(String section) {
        Matcher m = Pattern.compile("(?s)\n```java\n(.*?)\n```\n").matcher(section);
        assertTrue(m.find(), "no ```java block");
        String code = m.group(1);
        assertTrue(!m.find(), "more than one ```java block");
        return code;
    }

    /** Runs {@code main} of the compiled example and returns what it printed. */
    private static String runMain(Path classes, String name, String[] args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeJavaExampleTest.class.getClassLoader())) {
            Method main = loader.loadClass(name).getMethod("main", String[].class);
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    private static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("no project root (README.md beside mvnw) above " + Path.of("").toAbsolutePath());
    }

    private static Path image(Path file, int w, int h, int seed) throws IOException {
        Random rnd = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rnd.nextInt(1 << 24));
            }
        }
        String format = file.toString().endsWith(".jpg") ? "jpg" : "png";
        assertTrue(ImageIO.write(img, format, file.toFile()), format);
        return file;
    }
}
