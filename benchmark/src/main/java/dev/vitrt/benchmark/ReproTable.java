package dev.vitrt.benchmark;

import dev.vitrt.runtime.BackendException;
import java.io.IOException;

/** One of the papers' tables, regenerated here: it picks its rows from the zoo, measures them, and reports. */
public interface ReproTable {
    /** The name users type, e.g. {@code nextvit-models}. */
    String name();

    /** One line on what it reproduces. */
    String description();

    /** Measures and builds the result; bad options fail before any measuring. */
    TableResult run(TableOptions options, ProgressListener progress) throws IOException, BackendException;
}
