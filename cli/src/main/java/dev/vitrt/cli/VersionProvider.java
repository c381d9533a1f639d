package dev.vitrt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Reads the version Maven filtered into {@code version.properties}. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    public static String version() {
        return property("version", "unknown");
    }

    /** A value Maven filtered into {@code version.properties}. */
    static String property(String key, String fallback) {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty(key, fallback);
    }

    @Override
    public String[] getVersion() {
        String trt = property("tensorrt", "unknown"); // e.g. 11.2-1.5.14: TensorRT, then the JavaCPP presets
        int dash = trt.indexOf('-');
        String presets = dash > 0 ? trt.substring(0, dash) + " (JavaCPP presets " + trt.substring(dash + 1) + ")" : trt;
        return new String[] {"vitrt " + version(), "Java " + Runtime.version() + ", ONNX Runtime "
                + property("onnxruntime", "unknown") + ", TensorRT " + presets + "; `vitrt doctor` shows what loads here"};
    }
}
