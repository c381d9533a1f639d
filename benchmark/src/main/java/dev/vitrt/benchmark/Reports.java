package dev.vitrt.benchmark;

import dev.vitrt.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a table's result into a directory: {@code TABLE.md} (findings, every section, method notes, the plot),
 * {@code TABLE.csv} (the first section), {@code TABLE-SECTION.csv} for each further section, and {@code TABLE.svg}.
 * Each file is written atomically (temporary file, then a move), so a reader never sees half a report.
 */
public final class Reports {
    private Reports() {
    }

    /** Writes the files and returns their paths. */
    public static List<Path> write(TableResult r, Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("not a directory: " + dir);
        }
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path svg = dir.resolve(r.table() + ".svg");
        AtomicFiles.writeString(svg, r.plot().render());
        written.add(svg);
        for (int i = 0; i < r.sections().size(); i++) {
            Section s = r.sections().get(i);
            Path csv = dir.resolve(i == 0 ? r.table() + ".csv" : r.table() + "-" + s.name() + ".csv");
            AtomicFiles.writeString(csv, csv(s));
            written.add(csv);
        }
        Path md = dir.resolve(r.table() + ".md");
        AtomicFiles.writeString(md, markdown(r, svg.getFileName().toString()));
        written.add(0, md);
        return written;
    }

    /**
     * The report for a terminal: the title, the findings, the first section as CSV and the method notes, with
     * {@code \n} line ends (the files keep CSV's {@code \r\n}).
     */
    public static String console(TableResult r) {
        StringBuilder sb = new StringBuilder("# ").append(r.title()).append('\n');
        r.findings().forEach(f -> sb.append("- ").append(f).append('\n'));
        sb.append('\n').append(csv(r.sections().get(0)).replace("\r\n", "\n")).append('\n');
        r.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        return sb.toString();
    }

    /** The Markdown report. */
    public static String markdown(TableResult r, String svgName) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.title()).append("\n\n");
        sb.append("## Findings\n\n");
        for (String f : r.findings()) {
            sb.append("- ").append(f).append('\n');
        }
        for (Section s : r.sections()) {
            sb.append("\n## ").append(s.heading()).append("\n\n");
            sb.append(markdownGrid(s));
        }
        sb.append("\n## Method and sources\n\n");
        for (String n : r.notes()) {
            sb.append("- ").append(n).append('\n');
        }
        sb.append("\n![").append(r.title()).append("](").append(svgName).append(")\n");
        return sb.toString();
    }

    static String markdownGrid(Section s) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : s.columns()) {
            sb.append(' ').append(mdCell(c)).append(" |");
        }
        sb.append("\n|");
        for (int i = 0; i < s.columns().size(); i++) {
            sb.append(" --- |");
        }
        sb.append('\n');
        for (List<String> row : s.rows()) {
            sb.append('|');
            for (String c : row) {
                sb.append(' ').append(mdCell(c)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String mdCell(String c) {
        return c.replace("|", "\\|").replace("\n", " ");
    }

    /** One section as CSV (RFC 4180 quoting), header first. */
    public static String csv(Section s) {
        StringBuilder sb = new StringBuilder();
        sb.append(csvLine(s.columns()));
        for (List<String> row : s.rows()) {
            sb.append(csvLine(row));
        }
        return sb.toString();
    }

    private static String csvLine(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.append("\r\n").toString();
    }
}
