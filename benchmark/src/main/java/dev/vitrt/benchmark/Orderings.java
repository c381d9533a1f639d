package dev.vitrt.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Compares the measured latency ordering with a paper's, in words: which pairs keep the paper's order, which flip
 * (faster here, slower there), and which are too close to call given the spread of the runs.
 */
final class Orderings {
    /** One row: a name, our median with its p10-p90, and the paper's figure (null when it has none). */
    record Entry(String name, double median, double p10, double p90, Double paper) {
    }

    private Orderings() {
    }

    /** Our order, fastest first, e.g. {@code A (1.0 ms) < B (2.0 ms)}. */
    static String ours(List<Entry> entries, String unit) {
        return entries.stream().sorted(Comparator.comparingDouble(Entry::median))
                .map(e -> e.name() + " (" + Fmt.ms(e.median()) + " " + unit + ")")
                .collect(Collectors.joining(" < "));
    }

    /**
     * Sentences comparing our order with the paper's over the rows the paper has figures for; {@code where} names our
     * setting ("on this CPU (onnxruntime)"), {@code paperSetting} the paper's ("the paper's TensorRT figures").
     */
    static List<String> compare(List<Entry> entries, String where, String paperSetting) {
        List<Entry> withPaper = entries.stream().filter(e -> e.paper() != null && Double.isFinite(e.median()))
                .sorted(Comparator.comparingDouble(Entry::paper)).toList();
        List<String> out = new ArrayList<>();
        if (withPaper.size() < 2) {
            return out;
        }
        List<String> flips = new ArrayList<>();
        List<String> ties = new ArrayList<>();
        int agree = 0;
        for (int i = 0; i < withPaper.size(); i++) {
            for (int j = i + 1; j < withPaper.size(); j++) {
                Entry a = withPaper.get(i); // faster (or equal) in the paper
                Entry b = withPaper.get(j);
                if (a.paper().equals(b.paper())) {
                    continue;
                }
                boolean overlap = a.p10() <= b.p90() && b.p10() <= a.p90();
                if (a.median() < b.median()) {
                    agree++;
                } else if (overlap) {
                    ties.add(String.format(Locale.ROOT, "%s and %s (%s vs %s ms, their spreads overlap)", a.name(),
                            b.name(), Fmt.ms(a.median()), Fmt.ms(b.median())));
                } else {
                    flips.add(String.format(Locale.ROOT, "%s, %s is faster than %s (%s vs %s ms), unlike %s (%s vs %s"
                            + " ms)", where, b.name(), a.name(), Fmt.ms(b.median()), Fmt.ms(a.median()), paperSetting,
                            Fmt.num(b.paper(), 1), Fmt.num(a.paper(), 1)));
                }
            }
        }
        String paperOrder = withPaper.stream().map(e -> e.name() + " (" + Fmt.num(e.paper(), 1) + ")")
                .collect(Collectors.joining(" < "));
        if (flips.isEmpty() && ties.isEmpty()) {
            out.add(String.format(Locale.ROOT, "%s the measured order matches %s: %s.", capital(where), paperSetting,
                    paperOrder));
        } else {
            out.add(String.format(Locale.ROOT, "%s: %s; %d of %d pairs keep that order %s.", capital(paperSetting),
                    paperOrder, agree, agree + flips.size() + ties.size(), where));
            for (String f : flips) {
                out.add(capital(f) + ".");
            }
            if (!ties.isEmpty()) {
                out.add("Too close to call " + where + ": " + String.join("; ", ties) + ".");
            }
        }
        return out;
    }

    static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
