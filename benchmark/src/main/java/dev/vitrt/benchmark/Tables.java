package dev.vitrt.benchmark;

import java.util.List;
import java.util.stream.Collectors;

/** The tables {@code vitrt reproduce} knows, by name. */
public final class Tables {
    private static final List<ReproTable> ALL = List.of(new NextVitModelsTable(), new NextVitBlocksTable(),
            new MobileVitAttentionTable(), new NextVitDownstreamTable());

    private Tables() {
    }

    public static List<ReproTable> all() {
        return ALL;
    }

    /** The table called {@code name}; an unknown name is one clear error listing the known ones. */
    public static ReproTable get(String name) {
        for (ReproTable t : ALL) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown table '" + name + "' (expected one of " + names() + ")");
    }

    public static String names() {
        return ALL.stream().map(ReproTable::name).collect(Collectors.joining(", "));
    }
}
