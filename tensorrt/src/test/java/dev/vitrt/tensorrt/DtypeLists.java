package dev.vitrt.tensorrt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The upstream data-type lists in test resources {@code dtypes/} (its README says where each comes from). */
public final class DtypeLists {
    private DtypeLists() {
    }

    /** Each line {@code NAME = value} as {NAME, value}. */
    public static List<String[]> lines(String resource) throws IOException {
        List<String[]> out = new ArrayList<>();
        InputStream in = DtypeLists.class.getResourceAsStream("/dtypes/" + resource);
        if (in == null) {
            throw new IOException("no test resource dtypes/" + resource);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    out.add(line.trim().split("\\s*=\\s*"));
                }
            }
        }
        return out;
    }
}
