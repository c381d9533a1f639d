package dev.vitrt.models.zoo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of named models, timm-style. */
public final class Zoo {
    private static final Map<String, ZooEntry> ENTRIES = load();

    private Zoo() {
    }

    private static Map<String, ZooEntry> load() {
        List<ZooFamily> families = List.of(
                // one line per family file
                new dev.vitrt.models.nextvit.NextVit(),
                new dev.vitrt.models.mobilevit.MobileViTv2(),
                new dev.vitrt.models.resnet.ResNet(),
                new dev.vitrt.models.mobilevit.MobileViTv2Ablation(),
                new dev.vitrt.models.nextvit.NextVitAblation()
        );
        Map<String, ZooEntry> m = new LinkedHashMap<>();
        for (ZooFamily f : families) {
            for (ZooEntry e : f.entries()) {
                if (m.put(e.name(), e) != null) {
                    throw new IllegalStateException("duplicate zoo name " + e.name());
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    public static List<ZooEntry> all() {
        return new ArrayList<>(ENTRIES.values());
    }

    public static boolean contains(String name) {
        return ENTRIES.containsKey(name);
    }

    /** The entry called {@code name}; an unknown name is an error that suggests the closest known one. */
    public static ZooEntry get(String name) {
        ZooEntry e = ENTRIES.get(name);
        if (e == null) {
            String hint = closest(name);
            throw new IllegalArgumentException("unknown model '" + name + "'" + (hint == null ? "" : " (did you mean '"
                    + hint + "'?)") + "; `vitrt models` lists them");
        }
        return e;
    }

    private static String closest(String name) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : ENTRIES.keySet()) {
            int d = editDistance(name.toLowerCase(), k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return bestD <= Math.max(2, name.length() / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
