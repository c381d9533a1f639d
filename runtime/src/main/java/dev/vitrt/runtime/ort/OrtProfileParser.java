package dev.vitrt.runtime.ort;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.profile.LayerTime;
import dev.vitrt.runtime.profile.LayerTimings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads ONNX Runtime's profiler output (a Chrome-trace JSON array). Each executed node yields three {@code Node}
 * events: {@code NAME_fence_before}, {@code NAME_kernel_time}, {@code NAME_fence_after}; only the kernel-time event is
 * the node's compute, the fences are synchronization bookkeeping. {@code Session} events named {@code model_run}
 * span each {@code Run()} call; kernel events are attributed to the run whose span contains them, and only the last
 * {@code runs} runs are kept (earlier ones are warm-up). Times in the trace are microseconds.
 */
public final class OrtProfileParser {
    private static final String KERNEL_SUFFIX = "_kernel_time";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Span(long start, long end) {
    }

    private record Kernel(String node, String op, long ts, long dur, List<ElementType> types) {
    }

    private OrtProfileParser() {
    }

    /** Parses a trace file, keeping the last {@code runs} model runs. */
    public static LayerTimings parse(Path trace, int runs) throws IOException {
        try (InputStream in = Files.newInputStream(trace)) {
            return parse(in, runs, trace.toString());
        }
    }

    /** Parses a trace stream, keeping the last {@code runs} model runs; {@code source} names it in errors. */
    public static LayerTimings parse(InputStream in, int runs, String source) throws IOException {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1");
        }
        List<Span> modelRuns = new ArrayList<>();
        List<Kernel> kernels = new ArrayList<>();
        try (JsonParser p = JSON.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException(source + ": not an ONNX Runtime profile (expected a JSON array)");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                JsonNode e = JSON.readTree(p);
                String cat = e.path("cat").asText();
                String name = e.path("name").asText();
                long ts = e.path("ts").asLong();
                long dur = e.path("dur").asLong();
                if (cat.equals("Session") && name.equals("model_run")) {
                    modelRuns.add(new Span(ts, ts + dur));
                } else if (cat.equals("Node") && name.endsWith(KERNEL_SUFFIX)) {
                    JsonNode args = e.path("args");
                    String op = args.path("op_name").asText(null);
                    kernels.add(new Kernel(name.substring(0, name.length() - KERNEL_SUFFIX.length()), op, ts, dur,
                            types(args.path("input_type_shape"))));
                }
            }
        }
        if (modelRuns.size() < runs) {
            throw new IOException(source + ": profile holds " + modelRuns.size() + " model runs, expected at least "
                    + runs);
        }
        modelRuns.sort((a, b) -> Long.compare(a.start, b.start));
        List<Span> kept = modelRuns.subList(modelRuns.size() - runs, modelRuns.size());
        long keptStart = kept.get(0).start;
        Map<String, double[]> sums = new LinkedHashMap<>(); // node -> [total us]
        Map<String, String> ops = new LinkedHashMap<>();
        Set<ElementType> types = EnumSet.noneOf(ElementType.class);
        kernels.sort((a, b) -> Long.compare(a.ts, b.ts));
        for (Kernel k : kernels) {
            if (k.ts < keptStart || !inside(kept, k.ts)) {
                continue;
            }
            sums.computeIfAbsent(k.node, n -> new double[1])[0] += k.dur;
            ops.putIfAbsent(k.node, k.op);
            types.addAll(k.types);
        }
        List<LayerTime> layers = new ArrayList<>(sums.size());
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            layers.add(new LayerTime(e.getKey(), ops.get(e.getKey()), e.getValue()[0] / runs / 1000.0));
        }
        double runMs = kept.stream().mapToLong(s -> s.end - s.start).sum() / (double) runs / 1000.0;
        return new LayerTimings(layers, runs, runMs, types);
    }

    private static boolean inside(List<Span> spans, long ts) {
        // binary search for the last span starting at or before ts
        int lo = 0;
        int hi = spans.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (spans.get(mid).start <= ts) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && ts <= spans.get(found).end;
    }

    /**
     * Element types from {@code input_type_shape}: a list of single-key objects {type: [dims]}, the type in ONNX's
     * lower-case names ({@code float}, {@code float16}); names this VitRT does not know are left out.
     */
    private static List<ElementType> types(JsonNode list) {
        List<ElementType> out = new ArrayList<>();
        if (list.isArray()) {
            for (JsonNode entry : list) {
                for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
                    ElementType.parse(it.next()).ifPresent(out::add);
                }
            }
        }
        return out;
    }
}
