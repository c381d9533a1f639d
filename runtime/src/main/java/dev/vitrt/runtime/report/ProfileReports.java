package dev.vitrt.runtime.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrt.runtime.bench.GpuTiming;
import dev.vitrt.runtime.bench.LatencyStats;
import dev.vitrt.runtime.io.AtomicFiles;
import dev.vitrt.runtime.profile.BlockProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Renders a {@link ProfileReport} as a console table, JSON, CSV or a self-contained HTML page. */
public final class ProfileReports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ProfileReports() {
    }

    /** The console table: block types, parts, then latency percentiles and throughput. */
    public static String console(ProfileReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s on %s, %s, %s, batch %d, %dx%d%n", r.model(), r.backend(), r.device(),
                r.precision(), r.batch(), r.inputHeight(), r.inputSize()));
        BlockProfile b = r.blocks();
        if (b == null) {
            sb.append("per-block times: not available (the backend cannot profile layers)\n");
        } else {
            sb.append('\n');
            sb.append(String.format(Locale.ROOT, "%-22s %6s %10s %10s %7s%n", "block type", "count", "total ms",
                    "ms/block", "share"));
            for (BlockProfile.BlockRow row : b.blocks()) {
                sb.append(String.format(Locale.ROOT, "%-22s %6s %10.3f %10s %6.1f%%%n", row.type(),
                        row.count() == 0 ? "-" : Integer.toString(row.count()), row.ms(),
                        row.count() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", row.msPerBlock()),
                        100 * row.share()));
            }
            sb.append(String.format(Locale.ROOT, "%-22s %6s %10.3f %10s %6.1f%% of the end-to-end mean%n",
                    "sum of blocks", "", b.totalMs(), "", r.blockSumPercent()));
            if (Double.isNaN(r.profilerCostMs())) {
                sb.append(String.format(Locale.ROOT,
                        "  (layer times scaled by %.3f from profiled runs to plain runs; the remaining %.3f ms is the"
                                + " runtime's own time outside layers)%n", r.layerScale(),
                        Math.max(0, r.outsideLayersMs())));
            } else {
                // below zero, the layers ran slower in the profiled runs than whole plain runs did: say so, do not hide it
                sb.append(String.format(Locale.ROOT, "%-22s %6s %10.3f %10s %6.1f%% (end-to-end mean minus the blocks%s)%n",
                        "runtime outside layers", "", r.outsideLayersMs(), "",
                        100 * r.outsideLayersMs() / r.latency().mean(), r.outsideLayersMs() >= 0 ? "" : "; below 0:"
                                + " layers took longer while profiled than whole plain runs, beyond the probe's estimate"));
                sb.append(String.format(Locale.ROOT, "  (layer times from profiled runs, less the profiler's own cost"
                        + " of %.1f us per layer, measured each run on a probe graph of no-work nodes)%n",
                        1000 * r.profilerCostMs()));
            }
            if (b.crossBlockLayers() > 0) {
                sb.append(String.format(Locale.ROOT,
                        "  %d fused layers spanning two blocks (%.3f ms) were charged to their first block%n",
                        b.crossBlockLayers(), b.crossBlockMs()));
            }
            BlockProfile.BlockRow other = b.row(BlockProfile.OTHER);
            if (other != null && other.share() > 0.5) {
                sb.append("  most time is 'other': the model has no vitrt.blocks metadata matching its node names"
                        + " (export it with VitRT to get per-block times)\n");
            }
            if (!b.parts().isEmpty()) {
                sb.append('\n');
                sb.append(String.format(Locale.ROOT, "%-22s %-22s %10s %7s%n", "block type", "part", "ms", "share"));
                for (BlockProfile.PartRow p : b.parts()) {
                    sb.append(String.format(Locale.ROOT, "%-22s %-22s %10.3f %6.1f%%%n", p.block(), p.part(), p.ms(),
                            b.totalMs() > 0 ? 100 * p.ms() / b.totalMs() : 0));
                }
            }
        }
        LatencyStats l = r.latency();
        sb.append('\n');
        sb.append(String.format(Locale.ROOT,
                "latency (ms, %d runs): mean %.3f  p50 %.3f  p90 %.3f  p99 %.3f  min %.3f  max %.3f%n", l.runs(),
                l.mean(), l.p50(), l.p90(), l.p99(), l.min(), l.max()));
        GpuTiming g = r.gpu();
        if (g != null) {
            LatencyStats c = g.compute();
            sb.append("  (host latency: copies to the GPU, enqueue, copies back, synchronize)\n");
            sb.append(String.format(Locale.ROOT,
                    "GPU compute (ms, %s): mean %.3f  p50 %.3f  p90 %.3f  p99 %.3f  min %.3f  max %.3f%n",
                    g.cudaGraph() ? "CUDA graph" : "enqueueV3", c.mean(), c.p50(), c.p90(), c.p99(), c.min(),
                    c.max()));
            sb.append("  (CUDA events around the enqueue on the run's stream, as trtexec's GPU Compute Time)\n");
            if (g.note() != null) {
                sb.append("  no CUDA graph: ").append(g.note()).append('\n');
            }
        }
        sb.append(String.format(Locale.ROOT, "throughput: %.1f images/s%s%n", l.throughputIps(), g == null ? ""
                : String.format(Locale.ROOT, " (GPU compute alone: %.1f images/s)", g.compute().throughputIps())));
        return sb.toString();
    }

    /** The JSON report, with exactly the fields of the issue. */
    public static String json(ProfileReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", r.model());
        o.put("backend", r.backend());
        o.put("precision", r.precision());
        o.put("batch", r.batch());
        o.put("input_size", r.inputSize());
        LatencyStats l = r.latency();
        putStats(o.putObject("latency_ms"), l);
        o.put("throughput_ips", round(l.throughputIps()));
        if (r.gpu() != null) {
            putStats(o.putObject("gpu_compute_ms"), r.gpu().compute());
            o.put("cuda_graph", r.gpu().cudaGraph());
            if (r.gpu().note() != null) {
                o.put("cuda_graph_note", r.gpu().note());
            }
        }
        ArrayNode blocks = o.putArray("blocks");
        ArrayNode parts = o.putArray("parts");
        if (r.blocks() != null) {
            for (BlockProfile.BlockRow row : r.blocks().blocks()) {
                ObjectNode b = blocks.addObject();
                b.put("type", row.type());
                b.put("count", row.count());
                b.put("ms", round(row.ms()));
                b.put("share", Math.round(row.share() * 1e6) / 1e6);
            }
            for (BlockProfile.PartRow p : r.blocks().parts()) {
                ObjectNode n = parts.addObject();
                n.put("block", p.block());
                n.put("part", p.part());
                n.put("ms", round(p.ms()));
            }
        }
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putStats(ObjectNode o, LatencyStats s) {
        o.put("mean", round(s.mean()));
        o.put("p50", round(s.p50()));
        o.put("p90", round(s.p90()));
        o.put("p99", round(s.p99()));
        o.put("min", round(s.min()));
        o.put("max", round(s.max()));
    }

    /** CSV: one row per block type, part and latency statistic ({@code kind,name,part,count,ms,ms_per_block,share}). */
    public static String csv(ProfileReport r) {
        StringBuilder sb = new StringBuilder("kind,name,part,count,ms,ms_per_block,share\n");
        if (r.blocks() != null) {
            for (BlockProfile.BlockRow row : r.blocks().blocks()) {
                sb.append(String.format(Locale.ROOT, "block,%s,,%d,%.6f,%s,%.6f%n", csvField(row.type()), row.count(),
                        row.ms(), row.count() == 0 ? "" : String.format(Locale.ROOT, "%.6f", row.msPerBlock()),
                        row.share()));
            }
            for (BlockProfile.PartRow p : r.blocks().parts()) {
                sb.append(String.format(Locale.ROOT, "part,%s,%s,,%.6f,,%.6f%n", csvField(p.block()),
                        csvField(p.part()), p.ms(), r.blocks().totalMs() > 0 ? p.ms() / r.blocks().totalMs() : 0));
            }
        }
        LatencyStats l = r.latency();
        csvStats(sb, "latency", l);
        if (r.gpu() != null) {
            csvStats(sb, "gpu_compute", r.gpu().compute());
        }
        sb.append("throughput_ips,").append(fmt(l.throughputIps())).append(",,,,,\n");
        return sb.toString();
    }

    private static void csvStats(StringBuilder sb, String kind, LatencyStats s) {
        for (String[] kv : List.of(new String[] {"mean", fmt(s.mean())}, new String[] {"p50", fmt(s.p50())},
                new String[] {"p90", fmt(s.p90())}, new String[] {"p99", fmt(s.p99())},
                new String[] {"min", fmt(s.min())}, new String[] {"max", fmt(s.max())})) {
            sb.append(kind).append(',').append(kv[0]).append(",,,").append(kv[1]).append(",,\n");
        }
    }

    /** One self-contained HTML page (no scripts, no external files) with an inline SVG bar chart of block shares. */
    public static String html(ProfileReport r) {
        StringBuilder sb = new StringBuilder();
        String title = "VitRT profile: " + r.model() + " on " + r.backend();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{padding:.25em .8em;border-bottom:1px solid #ddd;"
                        + "text-align:right}td:first-child,th:first-child{text-align:left}.note{color:#666}</style>"
                        + "</head><body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n<p>").append(esc(String.format(Locale.ROOT,
                "%s, %s, batch %d, %dx%d input", r.device(), r.precision(), r.batch(), r.inputHeight(), r.inputSize())))
                .append("</p>\n");
        BlockProfile b = r.blocks();
        if (b != null) {
            sb.append("<h2>Share of latency by block type</h2>\n").append(svgChart(b));
            sb.append("<table><tr><th>block type</th><th>count</th><th>total ms</th><th>ms/block</th><th>share</th></tr>\n");
            for (BlockProfile.BlockRow row : b.blocks()) {
                sb.append("<tr><td>").append(esc(row.type())).append("</td><td>")
                        .append(row.count() == 0 ? "-" : row.count()).append("</td><td>").append(fmt3(row.ms()))
                        .append("</td><td>").append(row.count() == 0 ? "-" : fmt3(row.msPerBlock())).append("</td><td>")
                        .append(String.format(Locale.ROOT, "%.1f%%", 100 * row.share())).append("</td></tr>\n");
            }
            sb.append("</table>\n<p class=\"note\">").append(esc(Double.isNaN(r.profilerCostMs())
                    ? String.format(Locale.ROOT, "Blocks sum to %.3f ms, %.1f%% of the end-to-end mean; layer times"
                            + " scaled by %.3f from profiled runs to plain runs.", b.totalMs(), r.blockSumPercent(),
                            r.layerScale())
                    : String.format(Locale.ROOT, "Blocks sum to %.3f ms, %.1f%% of the end-to-end mean; the runtime's"
                            + " own time outside layers is %.3f ms. Layer times are those of profiled runs less the"
                            + " profiler's own cost (%.1f us per layer, measured on a probe graph).", b.totalMs(),
                            r.blockSumPercent(), r.outsideLayersMs(), 1000 * r.profilerCostMs())))
                    .append("</p>\n");
            if (!b.parts().isEmpty()) {
                sb.append("<h2>Parts</h2>\n<table><tr><th>block type</th><th>part</th><th>ms</th></tr>\n");
                for (BlockProfile.PartRow p : b.parts()) {
                    sb.append("<tr><td>").append(esc(p.block())).append("</td><td>").append(esc(p.part()))
                            .append("</td><td>").append(fmt3(p.ms())).append("</td></tr>\n");
                }
                sb.append("</table>\n");
            }
        } else {
            sb.append("<p>Per-block times are not available: the backend cannot profile layers.</p>\n");
        }
        LatencyStats l = r.latency();
        sb.append("<h2>End-to-end latency</h2>\n<table><tr><th>runs</th><th>mean</th><th>p50</th><th>p90</th>"
                + "<th>p99</th><th>min</th><th>max</th><th>images/s</th></tr>\n<tr><td>").append(l.runs());
        for (double v : new double[] {l.mean(), l.p50(), l.p90(), l.p99(), l.min(), l.max()}) {
            sb.append("</td><td>").append(fmt3(v));
        }
        sb.append("</td><td>").append(String.format(Locale.ROOT, "%.1f", l.throughputIps())).append("</td></tr>\n");
        if (r.gpu() != null) {
            LatencyStats c = r.gpu().compute();
            sb.append("<tr><td>GPU compute").append(r.gpu().cudaGraph() ? " (CUDA graph)" : "");
            for (double v : new double[] {c.mean(), c.p50(), c.p90(), c.p99(), c.min(), c.max()}) {
                sb.append("</td><td>").append(fmt3(v));
            }
            sb.append("</td><td>").append(String.format(Locale.ROOT, "%.1f", c.throughputIps())).append("</td></tr>\n");
        }
        sb.append("</table>\n<p class=\"note\">latency in milliseconds").append(r.gpu() == null ? ""
                        : "; the first row is host latency (copies in, enqueue, copies out, synchronize), GPU compute"
                        + " is timed by CUDA events around the enqueue")
                .append("</p>\n</body></html>\n");
        return sb.toString();
    }

    private static String svgChart(BlockProfile b) {
        List<SvgPlot.Bar> bars = b.blocks().stream().map(row -> new SvgPlot.Bar(row.type(), row.share(),
                row.type().equals(BlockProfile.OTHER) || row.type().equals(BlockProfile.REFORMAT) ? "#aaaaaa"
                        : "#4a7fb5")).toList();
        return SvgPlot.bars(bars, "share of latency by block type");
    }

    /** Writes the JSON report atomically. */
    public static void writeJson(Path file, ProfileReport r) throws IOException {
        AtomicFiles.writeString(file, json(r));
    }

    /** Writes the CSV report atomically. */
    public static void writeCsv(Path file, ProfileReport r) throws IOException {
        AtomicFiles.writeString(file, csv(r));
    }

    /** Writes the HTML report atomically. */
    public static void writeHtml(Path file, ProfileReport r) throws IOException {
        AtomicFiles.writeString(file, html(r));
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String esc(String s) {
        return SvgPlot.esc(s);
    }
}
