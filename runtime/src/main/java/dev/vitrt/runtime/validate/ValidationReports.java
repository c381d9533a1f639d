package dev.vitrt.runtime.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrt.runtime.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/** Renders a {@link ValidationReport} as a console table, JSON or CSV. */
public final class ValidationReports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Unreadable files named on the console; JSON names them all. */
    static final int CONSOLE_UNREADABLE = 10;

    private ValidationReports() {
    }

    /** The side-by-side table, then unreadable files and throughput. */
    public static String console(ValidationReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s on %d images from %s%n", r.model(), r.scored(), r.data()));
        sb.append("preprocessing: ").append(r.preprocessing()).append('\n');
        if (r.heldOut() != null) {
            sb.append("int8 calibration: ").append(r.heldOut()).append('\n');
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-9s %-12s %7s %8s %8s %14s %12s %10s%n", "precision", "backend",
                "images", "top-1 %", "top-5 %", "top-1 agree %", "logit cos", "images/s"));
        for (ValidationReport.Row row : r.rows()) {
            sb.append(String.format(Locale.ROOT, "%-9s %-12s %7d %8.2f %8.2f %14s %12s %10.1f%n", row.precision(),
                    row.backend(), row.images(), row.top1(), row.top5(), fixed(row.top1Agreement(), 2),
                    fixed(row.meanCosine(), 6), row.imagesPerSecond()));
        }
        if (r.rows().size() > 1 && !Double.isNaN(r.rows().get(1).top1Agreement())) {
            sb.append("(agreement and cosine against ").append(r.rows().get(0).precision())
                    .append("; images/s is the model's own time)\n");
        } else {
            sb.append("(images/s is the model's own time)\n");
        }
        if (!r.unreadable().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%n%d unreadable images (not scored):%n", r.unreadable().size()));
            r.unreadable().stream().limit(CONSOLE_UNREADABLE).forEach(u -> sb.append("  ").append(u.file())
                    .append(": ").append(u.reason()).append('\n'));
            if (r.unreadable().size() > CONSOLE_UNREADABLE) {
                sb.append(String.format(Locale.ROOT, "  ... and %d more (the JSON report names them all)%n",
                        r.unreadable().size() - CONSOLE_UNREADABLE));
            }
        }
        if (r.otherFiles() > 0) {
            sb.append(String.format(Locale.ROOT, "%d files in the class folders are not .jpg/.jpeg/.png and were"
                    + " ignored%n", r.otherFiles()));
        }
        ValidationReport.Throughput t = r.throughput();
        sb.append(String.format(Locale.ROOT, "%nend to end %.1f images/s (%.1f s, batch %d); decode+preprocess %.1f"
                        + " images/s on %d worker%s; models waited for images %.0f%% of the time%n",
                t.endToEndImagesPerSecond(), t.seconds(), r.batch(), t.decodeImagesPerSecond(), r.workers(),
                r.workers() == 1 ? "" : "s",
                100 * t.inputWaitShare()));
        return sb.toString();
    }

    /** The JSON report: every field, every unreadable file. */
    public static String json(ValidationReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", r.model());
        o.put("data", r.data());
        o.put("preprocessing", r.preprocessing());
        o.put("listed", r.listed());
        o.put("scored", r.scored());
        o.put("other_files", r.otherFiles());
        if (r.heldOut() != null) {
            o.put("int8_calibration", r.heldOut());
        }
        o.put("batch", r.batch());
        o.put("workers", r.workers());
        ArrayNode rows = o.putArray("precisions");
        for (ValidationReport.Row row : r.rows()) {
            ObjectNode n = rows.addObject();
            n.put("precision", row.precision());
            n.put("backend", row.backend());
            n.put("device", row.device());
            n.put("images", row.images());
            n.put("top1", row.top1());
            n.put("top5", row.top5());
            putNumber(n, "top1_agreement", row.top1Agreement());
            putNumber(n, "mean_logit_cosine", row.meanCosine());
            putNumber(n, "images_per_second", row.imagesPerSecond());
        }
        ArrayNode bad = o.putArray("unreadable");
        for (ValidationReport.Unreadable u : r.unreadable()) {
            bad.addObject().put("file", u.file()).put("reason", u.reason());
        }
        ValidationReport.Throughput t = r.throughput();
        ObjectNode tp = o.putObject("throughput");
        tp.put("seconds", t.seconds());
        putNumber(tp, "end_to_end_images_per_second", t.endToEndImagesPerSecond());
        putNumber(tp, "decode_images_per_second", t.decodeImagesPerSecond());
        tp.put("input_wait_share", t.inputWaitShare());
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One CSV row per precision, with a header; empty cells where a value does not apply. */
    public static String csv(ValidationReport r) {
        StringBuilder sb = new StringBuilder("model,precision,backend,images,top1,top5,top1_agreement,"
                + "mean_logit_cosine,images_per_second,unreadable\n");
        for (ValidationReport.Row row : r.rows()) {
            sb.append(String.join(",", quote(r.model()), row.precision(), row.backend(),
                    Integer.toString(row.images()), cell(row.top1()), cell(row.top5()), cell(row.top1Agreement()),
                    cell(row.meanCosine()), cell(row.imagesPerSecond()), Integer.toString(r.unreadable().size())))
                    .append('\n');
        }
        return sb.toString();
    }

    public static void writeJson(Path file, ValidationReport r) throws IOException {
        AtomicFiles.writeString(file, json(r));
    }

    public static void writeCsv(Path file, ValidationReport r) throws IOException {
        AtomicFiles.writeString(file, csv(r));
    }

    private static String fixed(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }
}
