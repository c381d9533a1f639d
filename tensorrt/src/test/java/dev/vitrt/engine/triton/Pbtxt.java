package dev.vitrt.engine.triton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for the protobuf text format subset Triton configs use, independent of the writer under test: fields
 * {@code name: scalar}, {@code name { ... }} / {@code name: { ... }}, and lists {@code name: [ a, b ]} /
 * {@code name [ {...}, {...} ]}; {@code #} comments. A message is a map from field name to every value it had, in
 * order; scalars are String (quoted strings unescaped), Long (integers) or Ident (enum names).
 */
final class Pbtxt {
    /** An unquoted identifier value, e.g. an enum constant. */
    record Ident(String name) {
    }

    private final String text;
    private int pos;

    private Pbtxt(String text) {
        this.text = text;
    }

    static Map<String, List<Object>> parse(String text) {
        Pbtxt p = new Pbtxt(text);
        Map<String, List<Object>> m = p.message(false);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("trailing text");
        }
        return m;
    }

    private Map<String, List<Object>> message(boolean braced) {
        Map<String, List<Object>> m = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (pos == text.length()) {
                if (braced) {
                    throw error("missing '}'");
                }
                return m;
            }
            if (peek() == '}') {
                if (!braced) {
                    throw error("unexpected '}'");
                }
                pos++;
                return m;
            }
            String field = ident();
            skipSpace();
            boolean colon = peek() == ':';
            if (colon) {
                pos++;
                skipSpace();
            }
            List<Object> values = m.computeIfAbsent(field, k -> new ArrayList<>());
            if (peek() == '[') {
                pos++;
                skipSpace();
                if (peek() == ']') {
                    pos++;
                } else {
                    while (true) {
                        values.add(value());
                        skipSpace();
                        char c = next();
                        if (c == ']') {
                            break;
                        }
                        if (c != ',') {
                            throw error("expected ',' or ']'");
                        }
                    }
                }
            } else if (peek() == '{') {
                values.add(value());
            } else if (colon) {
                values.add(value());
            } else {
                throw error("expected ':' or '{' after field " + field);
            }
        }
    }

    private Object value() {
        skipSpace();
        char c = peek();
        if (c == '{') {
            pos++;
            return message(true);
        }
        if (c == '"') {
            pos++;
            StringBuilder s = new StringBuilder();
            while (true) {
                char d = next();
                if (d == '"') {
                    return s.toString();
                }
                if (d == '\\') {
                    char e = next();
                    s.append(e == 'n' ? '\n' : e);
                } else {
                    s.append(d);
                }
            }
        }
        if (c == '-' || Character.isDigit(c)) {
            int start = pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            return Long.parseLong(text.substring(start, pos));
        }
        return new Ident(ident());
    }

    private String ident() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a name");
        }
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else {
                return;
            }
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("pbtxt: " + what + " at offset " + pos);
    }
}
