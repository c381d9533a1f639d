package dev.vitrt.benchmark;

import dev.vitrt.runtime.report.SvgPlot;
import java.util.List;

/**
 * What a table produced: a title, its sections (the first is the main one), the findings in words (the measured
 * ordering and where it disagrees with the paper), notes on method (machine, backend, runs, spread, sources of the
 * paper's figures), and one plot.
 */
public record TableResult(String table, String title, List<Section> sections, List<String> findings,
                          List<String> notes, SvgPlot plot) {
    public TableResult {
        if (sections.isEmpty()) {
            throw new IllegalArgumentException(table + ": a table needs at least one section");
        }
        sections = List.copyOf(sections);
        findings = List.copyOf(findings);
        notes = List.copyOf(notes);
    }
}
