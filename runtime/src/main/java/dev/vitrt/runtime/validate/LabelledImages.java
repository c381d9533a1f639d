package dev.vitrt.runtime.validate;

import dev.vitrt.runtime.classify.ClassNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Image files with their class labels, as timm's validate.py reads them: an image folder with one subfolder per class
 * (searched recursively, {@code .jpg}/{@code .jpeg}/{@code .png} as timm's reader takes them), or a CSV of
 * {@code path,label} rows. A class is named by its ImageNet synset ({@code n01440764}, mapped to the index of timm's
 * ImageNet-1k order), by its integer index, or by its name in the model's class names. Files are kept in sorted path
 * order, so every run sees the same images in the same order.
 */
public final class LabelledImages {
    /** One image and its class index. */
    public record Item(Path file, int label) {
    }

    /** A subset held out (for calibration) and the rest (to score). */
    public record Split(LabelledImages heldOut, LabelledImages rest) {
    }

    private static final Pattern SYNSET = Pattern.compile("n\\d{8}");

    private final List<Item> items;
    private final String source;
    private final int otherFiles;

    private LabelledImages(List<Item> items, String source, int otherFiles) {
        this.items = List.copyOf(items);
        this.source = source;
        this.otherFiles = otherFiles;
    }

    /**
     * The cheap check both readers start with, for callers to run before minutes of other work (exporting a model):
     * {@code csv} (may be null) is a file, else {@code folder} is a folder (with a CSV it is only the root its
     * relative paths resolve against: they are checked as they are read).
     *
     * @throws IOException naming the missing file or folder
     */
    public static void check(Path csv, Path folder) throws IOException {
        if (csv != null && !Files.isRegularFile(csv)) {
            throw new IOException("no such labels CSV: " + csv);
        }
        if (csv == null && (folder == null || !Files.isDirectory(folder))) {
            throw new IOException("no such image folder: " + folder);
        }
    }

    /**
     * Reads an image folder: {@code dir/<class>/.../image.jpg}.
     *
     * @param classes the model's number of classes; labels must fall in {@code [0, classes)}
     * @param names   the model's class names (may be null): ImageNet-1k's synsets apply when the model has 1000
     *                classes and no other names are given
     * @throws IOException              when the folder is missing or empty, has no class subfolders, or no images
     * @throws IllegalArgumentException when a class folder's name is not a class of the model
     */
    public static LabelledImages fromFolder(Path dir, int classes, ClassNames names) throws IOException {
        check(null, dir);
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        if (children.isEmpty()) {
            throw new IOException("image folder " + dir + " is empty (expected one subfolder per class)");
        }
        List<Path> classDirs = children.stream().filter(Files::isDirectory).toList();
        if (classDirs.isEmpty()) {
            throw new IOException("image folder " + dir + " has no class subfolders (" + children.size()
                    + " files directly in it); expected " + dir + "/<synset or class index>/<image>, or a labels CSV");
        }
        ClassRule rule = new ClassRule(classes, names);
        List<Item> items = new ArrayList<>();
        int other = 0;
        for (Path cd : classDirs) {
            int label = rule.label(cd.getFileName().toString(), "class folder '" + cd.getFileName() + "'");
            List<Path> files;
            try (Stream<Path> s = Files.walk(cd)) {
                files = s.filter(Files::isRegularFile).filter(p -> !hidden(cd, p)).sorted().toList();
            }
            for (Path f : files) {
                if (isImageName(f)) {
                    items.add(new Item(f, label));
                } else {
                    other++;
                }
            }
        }
        if (items.isEmpty()) {
            throw new IOException("no .jpg, .jpeg or .png images in the " + classDirs.size() + " class folders of "
                    + dir);
        }
        return new LabelledImages(items, dir.toString(), other);
    }

    /**
     * Reads a CSV of {@code path,label} rows (a header row is allowed; blank lines are skipped); the label is what
     * follows the last comma. Relative paths resolve against {@code root}, or the CSV's own folder when root is null.
     * Files are not opened here: a missing one fails when it is decoded, like a corrupt one.
     *
     * @throws IOException              when the CSV cannot be read or has no rows
     * @throws IllegalArgumentException naming the line when a row has no label or one outside the model's classes
     */
    public static LabelledImages fromCsv(Path csv, Path root, int classes, ClassNames names) throws IOException {
        check(csv, root);
        Path base = root != null ? root : csv.toAbsolutePath().getParent();
        ClassRule rule = new ClassRule(classes, names);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            String where = csv + " line " + (i + 1);
            if (comma <= 0) {
                throw new IllegalArgumentException(where + ": expected 'path,label', got '" + line + "'");
            }
            String path = unquote(line.substring(0, comma).strip());
            String label = unquote(line.substring(comma + 1).strip());
            if (items.isEmpty() && i == firstNonBlank(lines) && !rule.isLabel(label)) {
                continue; // header row
            }
            items.add(new Item(base.resolve(path), rule.label(label, where + " label '" + label + "'")));
        }
        if (items.isEmpty()) {
            throw new IOException(csv + " has no 'path,label' rows");
        }
        items.sort((a, b) -> a.file().compareTo(b.file()));
        return new LabelledImages(items, csv.toString(), 0);
    }

    /** The images and labels, in order. */
    public List<Item> items() {
        return items;
    }

    /** The files, in order. */
    public List<Path> files() {
        return items.stream().map(Item::file).toList();
    }

    public int size() {
        return items.size();
    }

    /** Files in the class folders that are not .jpg/.jpeg/.png (ignored, as timm's reader ignores them). */
    public int otherFiles() {
        return otherFiles;
    }

    /** Number of distinct labels. */
    public int classCount() {
        return (int) items.stream().mapToInt(Item::label).distinct().count();
    }

    /** The folder or CSV the images came from. */
    public String source() {
        return source;
    }

    /**
     * At most {@code n} images spread evenly over the list (every (size/n)-th), so that every class of a sorted folder
     * is represented as far as n allows; all of them when n is 0 or at least the size.
     */
    public LabelledImages limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        if (n == 0 || n >= items.size()) {
            return this;
        }
        List<Item> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(items.get(spread(i, n, items.size())));
        }
        return new LabelledImages(out, source, otherFiles);
    }

    /**
     * Holds {@code n} images out, spread evenly as {@link #limit}, and keeps the others: the two parts never share an
     * image.
     *
     * @throws IllegalArgumentException unless {@code 0 < n < size()}
     */
    public Split split(int n) {
        if (n < 1 || n >= items.size()) {
            throw new IllegalArgumentException("cannot hold out " + n + " of " + items.size() + " images"
                    + " (at least one must remain to score)");
        }
        boolean[] held = new boolean[items.size()];
        for (int i = 0; i < n; i++) {
            held[spread(i, n, items.size())] = true;
        }
        List<Item> a = new ArrayList<>(n);
        List<Item> b = new ArrayList<>(items.size() - n);
        for (int i = 0; i < items.size(); i++) {
            (held[i] ? a : b).add(items.get(i));
        }
        return new Split(new LabelledImages(a, source, 0), new LabelledImages(b, source, otherFiles));
    }

    /** A one-line description, e.g. {@code 500 images in 10 classes from imagenette/val}. */
    public String describe() {
        return items.size() + " images in " + classCount() + " classes from " + source;
    }

    private static int spread(int i, int n, int size) {
        return (int) ((long) i * size / n);
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static int firstNonBlank(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** How a folder name or CSV label becomes a class index for a model with {@code classes} classes. */
    private static final class ClassRule {
        private final int classes;
        private final ClassNames names;
        private final Map<String, Integer> byName = new HashMap<>();

        ClassRule(int classes, ClassNames names) {
            if (classes < 1) {
                throw new IllegalArgumentException("the model must have at least one class, got " + classes);
            }
            if (names != null && names.size() != classes) {
                throw new IllegalArgumentException("the model has " + classes + " classes but " + names.size()
                        + " class names were given");
            }
            this.classes = classes;
            this.names = names != null ? names : classes == 1000 ? ClassNames.imageNet1k() : null;
            if (this.names != null) {
                for (int i = 0; i < this.names.size(); i++) {
                    byName.putIfAbsent(this.names.name(i), i); // ImageNet repeats a few names: the first wins
                }
            }
        }

        boolean isLabel(String s) {
            try {
                label(s, "");
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        int label(String s, String what) {
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                int v;
                try {
                    v = Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    v = Integer.MAX_VALUE;
                }
                if (v >= classes) {
                    throw new IllegalArgumentException(what + " is outside the model's " + classes + " classes (0-"
                            + (classes - 1) + ")");
                }
                return v;
            }
            if (names != null) {
                Optional<Integer> bySynset = names.indexOfSynset(s);
                if (bySynset.isPresent()) {
                    return bySynset.get();
                }
                Integer byNameIndex = byName.get(s);
                if (byNameIndex != null) {
                    return byNameIndex;
                }
            }
            if (SYNSET.matcher(s).matches()) {
                throw new IllegalArgumentException(what + " is a WordNet synset that is not one of the model's classes"
                        + (classes == 1000 ? " (not in ImageNet-1k)" : " (the model has " + classes
                        + " classes; name classes by index or give class names)"));
            }
            throw new IllegalArgumentException(what + " is neither a class index (0-" + (classes - 1) + ")"
                    + (classes == 1000 ? ", an ImageNet-1k synset (e.g. n01440764)" : "")
                    + (names != null ? " nor a class name" : "") + " of the model");
        }
    }
}
