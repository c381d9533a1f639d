package dev.vitrt.runtime.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.runtime.ModelMetadata;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The names of a classifier's output classes, index by index, with the WordNet synset of each class where the label
 * set has one. {@link #imageNet1k()} is ImageNet-1k in timm's class order (its {@code imagenet_synsets.txt}, names
 * from its {@code imagenet_synset_to_lemma.txt}); {@link #read(Path)} takes one name per line for a custom head.
 */
public final class ClassNames {
    /** The label set's name in a model's metadata ({@link ModelMetadata#classNames()}) for ImageNet-1k. */
    public static final String IMAGENET_1K = "imagenet-1k";
    private static final String IMAGENET_RESOURCE = "imagenet-1k.tsv";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(ClassNames.class.getName());
    private static volatile ClassNames imageNet;

    private final List<String> names;
    private final List<String> synsets;
    private final Map<String, Integer> synsetIndex;

    private ClassNames(List<String> names, List<String> synsets) {
        this.names = List.copyOf(names);
        this.synsets = synsets == null ? null : List.copyOf(synsets);
        this.synsetIndex = new HashMap<>();
        if (synsets != null) {
            for (int i = 0; i < synsets.size(); i++) {
                if (synsetIndex.put(synsets.get(i), i) != null) {
                    throw new IllegalArgumentException("synset " + synsets.get(i) + " appears twice");
                }
            }
        }
    }

    /** ImageNet-1k's 1000 classes in timm's order (the order of every ImageNet-1k classifier's logits). */
    public static ClassNames imageNet1k() {
        ClassNames c = imageNet;
        if (c == null) {
            synchronized (ClassNames.class) {
                if (imageNet == null) {
                    imageNet = loadImageNet();
                }
                c = imageNet;
            }
        }
        return c;
    }

    /** Names given in order, without synsets. */
    public static ClassNames of(List<String> names) {
        return new ClassNames(names, null);
    }

    /**
     * One class name per line, in class-index order, as timm's {@code --class-map} text files and Triton's label
     * files are written; a line is trimmed, and a blank line is an error (it would shift every later index).
     *
     * @throws IOException if the file cannot be read, or has no names or a blank line
     */
    public static ClassNames read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            throw new IOException(file + ": no class names (expected one name per line)");
        }
        List<String> names = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String n = lines.get(i).strip();
            if (n.isEmpty()) {
                throw new IOException(file + ": line " + (i + 1) + " is blank (one class name per line, in index order)");
            }
            names.add(n);
        }
        return of(names);
    }

    /**
     * The class names of a model with {@code classes} outputs: those its graph's metadata declares
     * ({@code vitrt.class_names}: {@code imagenet-1k}, or a JSON array of names), else ImageNet-1k's for a 1000-class
     * output (the label set of every 1000-class checkpoint VitRT knows), else none.
     */
    public static Optional<ClassNames> forModel(Map<String, String> metadata, long classes) {
        String declared = ModelMetadata.of(metadata).classNames().orElse(null);
        if (declared != null) {
            if (declared.strip().equals(IMAGENET_1K)) {
                return classes == 1000 ? Optional.of(imageNet1k()) : Optional.empty();
            }
            try {
                List<String> names = new ArrayList<>();
                for (JsonNode n : JSON.readTree(declared)) {
                    names.add(n.asText());
                }
                if (names.size() == classes) {
                    return Optional.of(of(names));
                }
                LOG.log(System.Logger.Level.WARNING, "the metadata's class names name " + names.size() + " classes, the model has "
                        + classes + "; names ignored");
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "the metadata's class names are neither imagenet-1k nor a JSON array; ignored");
            }
            return Optional.empty();
        }
        return classes == 1000 ? Optional.of(imageNet1k()) : Optional.empty();
    }

    /** Number of classes. */
    public int size() {
        return names.size();
    }

    /** The name of class {@code index}. */
    public String name(int index) {
        return names.get(index);
    }

    /** The synset of class {@code index}, where the label set has synsets. */
    public Optional<String> synset(int index) {
        return synsets == null ? Optional.empty() : Optional.of(synsets.get(index));
    }

    /** The class index of a WordNet synset id such as {@code n01440764}, if this label set has it. */
    public Optional<Integer> indexOfSynset(String synset) {
        return Optional.ofNullable(synsetIndex.get(synset));
    }

    private static ClassNames loadImageNet() {
        try (InputStream in = ClassNames.class.getResourceAsStream(IMAGENET_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + IMAGENET_RESOURCE + " is missing from the runtime jar");
            }
            List<String> names = new ArrayList<>(1000);
            List<String> synsets = new ArrayList<>(1000);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                int tab = line.indexOf('\t');
                synsets.add(line.substring(0, tab));
                names.add(line.substring(tab + 1));
            }
            return new ClassNames(names, synsets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
