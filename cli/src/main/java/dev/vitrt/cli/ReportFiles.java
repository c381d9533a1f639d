package dev.vitrt.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --json FILE} and {@code --csv FILE}: a command's report also written as files ({@code @Mixin ReportFiles}). */
final class ReportFiles {
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the report as CSV.")
    Path csv;

    /** Writes a report of type {@code R} to a file (a library's {@code writeJson}, {@code writeCsv}). */
    interface Writer<R> {
        void write(Path file, R report) throws IOException;
    }

    /** Adds the files asked for to those checked before any work. */
    CommandFiles checkedBy(CommandFiles files) {
        return files.writes("--json", json).writes("--csv", csv);
    }

    /** Writes {@code report} to the files asked for. */
    <R> void write(R report, Writer<R> toJson, Writer<R> toCsv) throws IOException {
        if (json != null) {
            toJson.write(json, report);
        }
        if (csv != null) {
            toCsv.write(csv, report);
        }
    }
}
