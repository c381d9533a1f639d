package dev.vitrt.models.zoo;

import dev.vitrt.models.weights.KeyLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of named models, timm-style: {@code nextvit_small}, or with a pretrained tag,
 * {@code nextvit_small.bd_in1k_384}, whose evaluation settings the entry then carries.
 */
public final class Zoo {
    private static final Map<String, ZooFamily> FAMILY_OF = new LinkedHashMap<>();
    private static final Map<String, PretrainedTag> TAGS = new LinkedHashMap<>();
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
                FAMILY_OF.put(e.name(), f);
            }
            for (PretrainedTag t : f.pretrainedTags()) {
                if (!m.containsKey(t.model()) || TAGS.put(t.name(), t) != null) {
                    throw new IllegalStateException("bad or duplicate pretrained tag " + t.name());
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Every pretrained tag, family by family, in timm's order (a model's first tag is its default). */
    public static List<PretrainedTag> tags() {
        return new ArrayList<>(TAGS.values());
    }

    /** The pretrained tags of {@code model} (a bare name). */
    public static List<PretrainedTag> tags(String model) {
        return TAGS.values().stream().filter(t -> t.model().equals(model)).toList();
    }

    /** The key layouts checkpoints of {@code e} may come in: timm's first, then the official releases'. */
    public static List<KeyLayout> keyLayouts(ZooEntry e) {
        List<KeyLayout> out = new ArrayList<>();
        out.add(KeyLayout.TIMM);
        ZooFamily f = FAMILY_OF.get(e.name());
        if (f != null) {
            out.addAll(f.keyLayouts(e));
        }
        return out;
    }

    public static List<ZooEntry> all() {
        return new ArrayList<>(ENTRIES.values());
    }

    /** Whether {@code name} is a zoo model, bare or with one of its pretrained tags. */
    public static boolean contains(String name) {
        return ENTRIES.containsKey(name) || TAGS.containsKey(name);
    }

    /**
     * The entry called {@code name}, with the settings of its tag when the name has one
     * ({@code mobilevitv2_150.cvnets_in22k_ft_in1k_384}); an unknown name is an error that suggests the closest one.
     */
    public static ZooEntry get(String name) {
        int dot = name.indexOf('.');
        if (dot > 0) {
            ZooEntry bare = get(name.substring(0, dot));
            PretrainedTag t = TAGS.get(name);
            if (t == null) {
                List<String> known = tags(bare.name()).stream().map(PretrainedTag::tag).toList();
                throw new UnknownModelException("unknown pretrained tag '" + name.substring(dot + 1) + "' of "
                        + bare.name() + (known.isEmpty() ? " (it has none)" : "; its tags: " + String.join(", ", known)));
            }
            return bare.withTag(t);
        }
        ZooEntry e = ENTRIES.get(name);
        if (e == null) {
            String hint = closest(name);
            throw new UnknownModelException("unknown model '" + name + "'" + (hint == null ? "" : " (did you mean '"
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

    /** Levenshtein distance: the edits that make {@code a} into {@code b} (for "did you mean" hints). */
    public static int editDistance(String a, String b) {
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
