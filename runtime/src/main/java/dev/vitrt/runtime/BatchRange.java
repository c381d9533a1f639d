package dev.vitrt.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The batch sizes an engine's optimization profile covers, {@code min <= opt <= max} (trtexec's min/opt/max shapes
 * for dimension 0).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchRange(@JsonProperty("min") int min, @JsonProperty("opt") int opt, @JsonProperty("max") int max) {
    public BatchRange {
        if (min < 1 || opt < min || max < opt) {
            throw new IllegalArgumentException("batch range must satisfy 1 <= MIN <= OPT <= MAX, got "
                    + min + ":" + opt + ":" + max);
        }
    }

    /** Parses {@code MIN:OPT:MAX}, or a single {@code N} meaning {@code N:N:N}. */
    public static BatchRange parse(String text) {
        String[] p = text.trim().split(":", -1);
        if (p.length != 1 && p.length != 3) {
            throw new IllegalArgumentException("batch range '" + text + "' must be MIN:OPT:MAX (e.g. 1:8:32) or N");
        }
        int[] v = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            try {
                v[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("batch range '" + text + "': '" + p[i]
                        + "' is not a whole number (expected MIN:OPT:MAX, e.g. 1:8:32)");
            }
        }
        return p.length == 1 ? new BatchRange(v[0], v[0], v[0]) : new BatchRange(v[0], v[1], v[2]);
    }

    /** Whether a batch of this size fits the range. */
    public boolean contains(long batch) {
        return batch >= min && batch <= max;
    }

    @Override
    public String toString() {
        return min + ":" + opt + ":" + max;
    }
}
