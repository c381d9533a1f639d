package dev.vitrt.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * One grid of a table's output: a name (used in file names for extra sections), a heading, columns and rows of cells
 * already formatted as text; an empty cell means "no figure".
 */
public final class Section {
    private final String name;
    private final String heading;
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();

    public Section(String name, String heading, List<String> columns) {
        this.name = name;
        this.heading = heading;
        this.columns = List.copyOf(columns);
    }

    /** Appends a row; it must have one cell per column. */
    public Section add(List<String> cells) {
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException(name + ": row has " + cells.size() + " cells for " + columns.size()
                    + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    public String name() {
        return name;
    }

    public String heading() {
        return heading;
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    /** The cell of {@code column} in row {@code row}. */
    public String cell(int row, String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException(name + ": no column '" + column + "'");
        }
        return rows.get(row).get(c);
    }
}
