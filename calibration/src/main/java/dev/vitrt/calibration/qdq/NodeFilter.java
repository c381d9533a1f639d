package dev.vitrt.calibration.qdq;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which nodes {@code --exclude PATTERN} keeps in float. A pattern made of name characters and the glob wildcards
 * {@code *} and {@code ?} is a glob, matched whole against the node's name, its module path (the name up to the
 * last '/', torch-style "/a/a.0/b" paths read as "a.0.b") and every dotted prefix of that path, so
 * {@code stages.3.*} or {@code stages.2.blocks.4} exclude a whole block. Anything else is a regular expression,
 * searched for in the node's name and module path.
 */
public class NodeFilter {
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_.:/\\-*?]+");

    private final List<Pattern> globs = new ArrayList<>();
    private final List<Pattern> regexes = new ArrayList<>();
    private boolean inverted;

    /** A filter that excludes nothing. */
    public static NodeFilter none() {
        return new NodeFilter(List.of());
    }

    /** @throws IllegalArgumentException naming the pattern when it is not a valid regular expression */
    public NodeFilter(List<String> patterns) {
        for (String p : patterns) {
            if (p.isBlank()) {
                throw new IllegalArgumentException("an exclude pattern is empty");
            }
            if (GLOB.matcher(p).matches()) {
                globs.add(Pattern.compile(globToRegex(p)));
            } else {
                try {
                    regexes.add(Pattern.compile(p));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("exclude pattern '" + p + "' is neither a glob nor a valid"
                            + " regular expression: " + e.getDescription());
                }
            }
        }
    }

    /** A filter that excludes every node outside the block (or module) at {@code path}: for sensitivity runs. */
    public static NodeFilter allBut(String path) {
        NodeFilter f = new NodeFilter(List.of(path.replace("*", "").replace("?", "")));
        f.inverted = true;
        return f;
    }

    /** True when nothing is excluded. */
    public boolean isEmpty() {
        return !inverted && globs.isEmpty() && regexes.isEmpty();
    }

    /** True when the node with this name stays in float. */
    public boolean excludes(String nodeName) {
        if (isEmpty()) {
            return false;
        }
        return inverted != matches(nodeName);
    }

    private boolean matches(String nodeName) {
        String path = modulePath(nodeName);
        for (Pattern r : regexes) {
            if (r.matcher(nodeName).find() || r.matcher(path).find()) {
                return true;
            }
        }
        for (Pattern g : globs) {
            if (g.matcher(nodeName).matches() || g.matcher(path).matches()) {
                return true;
            }
            for (int i = path.indexOf('.'); i > 0; i = path.indexOf('.', i + 1)) {
                if (g.matcher(path.substring(0, i)).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The dotted module path of a node name: {@code stages.0.blocks.1.mlp.fc1/Conv} gives
     * {@code stages.0.blocks.1.mlp.fc1}; torch's {@code /stages/stages.0/blocks/blocks.1/mlp/fc1/Conv} gives the same.
     */
    public static String modulePath(String nodeName) {
        int slash = nodeName.lastIndexOf('/');
        String path = slash >= 0 ? nodeName.substring(0, slash) : "";
        if (path.startsWith("/")) {
            // torch: "/stages/stages.0/blocks/blocks.1/mlp/fc1": each segment repeats its parent's full path
            String[] segs = path.substring(1).split("/");
            String last = "";
            StringBuilder sb = new StringBuilder();
            for (String s : segs) {
                String piece = !last.isEmpty() && s.startsWith(last + ".") ? s.substring(last.length() + 1) : s;
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(piece);
                last = s;
            }
            return sb.toString();
        }
        return path;
    }

    private static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }
}
