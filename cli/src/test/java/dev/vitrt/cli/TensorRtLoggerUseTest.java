package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * TensorRT keeps the first logger it is given for the whole process, so VitRT has exactly one (TrtLog's, never freed):
 * no other class implements ILogger, and every TensorRT factory that takes a logger is handed TrtLog.logger().
 * Checked on the sources of every module.
 */
class TensorRtLoggerUseTest {
    private static final Pattern FACTORY = Pattern.compile(
            "\\b(createInferRuntime|createInferBuilder|createInferRefitter|createParser|createParserRefitter)\\(");

    @Test
    void oneProcessLoggerIsHandedToEveryFactory() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/")).forEach(sources::add);
        }
        assertTrue(sources.size() > 50, "found the sources under " + root);
        List<String> loggers = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        for (Path p : sources) {
            String text = Files.readString(p);
            if (text.matches("(?s).*\\bextends\\s+ILogger\\b.*")) {
                loggers.add(root.relativize(p).toString());
            }
            Matcher m = FACTORY.matcher(text.contains("org.bytedeco.tensorrt") ? text : "");
            while (m.find()) {
                int close = text.indexOf(')', m.end());
                String args = text.substring(m.end(), Math.max(m.end(), close + 1));
                calls.add(root.relativize(p) + ": " + m.group(1) + "(" + args);
                assertTrue(args.contains("TrtLog.logger()"), root.relativize(p) + ": " + m.group(1)
                        + " is not handed the process logger: " + args);
            }
        }
        assertEquals(List.of("tensorrt/src/main/java/dev/vitrt/tensorrt/TrtLog.java"), loggers);
        assertTrue(calls.size() >= 3, "runtime, builder and parser are created somewhere: " + calls);
    }
}
