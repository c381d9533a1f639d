package dev.vitrt.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command's flags for the words its libraries' messages use: the libraries name their parameters ({@code maxBatch},
 * {@code calibration data}), and a command whose flags set them says those back in its own terms. Only a command
 * knows which of its flags set what, so each keeps its own words.
 */
final class FlagWords {
    private final Map<String, String> words;

    /** {@code words}: a library's word or phrase, matched as whole words, and what the command says instead. */
    FlagWords(Map<String, String> words) {
        this.words = Map.copyOf(words);
    }

    /** {@code message} in the command's terms. */
    String apply(String message) {
        String m = message;
        for (Map.Entry<String, String> e : words.entrySet()) {
            m = m.replaceAll("\\b" + Pattern.quote(e.getKey()) + "\\b", Matcher.quoteReplacement(e.getValue()));
        }
        return m;
    }

    /** {@code e} in the command's terms, the library's exception as its cause (for --verbose). */
    IllegalArgumentException reword(Exception e) {
        return new IllegalArgumentException(apply(e.getMessage()), e);
    }
}
