package dev.vitrt.calibration.data;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import dev.vitrt.runtime.preprocess.RgbImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * JPEG and PNG images found recursively under a folder, in sorted path order, decoded and preprocessed when a batch
 * asks for them. Files that cannot be decoded are skipped and counted; a folder with no readable image is an error.
 *
 * <p>Decoding and preprocessing are the runtime's ({@link RgbImage}, {@link ImagePreprocessor}: timm's eval transform
 * from the graph's metadata), so calibration sees exactly what {@code infer --image} and services feed the model.
 */
public final class ImageFolderData implements CalibrationData {
    private final Path dir;
    private final List<Path> files = new ArrayList<>();
    private final ImagePreprocessor preprocessor;
    private final long[] shape;
    private final String hash;
    private int skipped;

    /**
     * Lists and checks the images (each is decoded once, so that unreadable ones are known up front).
     *
     * @param preprocessor the model's transform; samples are {@code [3, size, size]} with its input size
     * @param limit stop after this many readable images (the calibration sample count plus held-out ones)
     * @throws IOException naming the folder when it is missing or holds no readable JPEG/PNG image
     */
    public ImageFolderData(Path dir, ImagePreprocessor preprocessor, int limit) throws IOException {
        this(dir, list(dir), preprocessor, limit, "calibration data folder " + dir);
    }

    /**
     * These image files (e.g. a slice of a labelled folder held out from scoring), checked as the folder constructor
     * checks them.
     *
     * @param root the folder they are under, for descriptions and the fingerprint
     * @throws IOException when none of them is a readable JPEG or PNG image
     */
    public static ImageFolderData ofFiles(Path root, List<Path> files, ImagePreprocessor preprocessor)
            throws IOException {
        return new ImageFolderData(root, files, preprocessor, files.size(), "the " + files.size()
                + " calibration images from " + root);
    }

    private ImageFolderData(Path dir, List<Path> candidates, ImagePreprocessor preprocessor, int limit, String what)
            throws IOException {
        this.dir = dir;
        this.preprocessor = preprocessor;
        int size = preprocessor.config().inputSize();
        this.shape = new long[] {3, size, size};
        MessageDigest md = sha256();
        for (Path p : candidates) {
            if (files.size() >= limit) {
                break;
            }
            if (read(p) == null) {
                skipped++;
                continue;
            }
            files.add(p);
            String name = p.startsWith(dir) ? dir.relativize(p).toString() : p.toString();
            md.update(name.getBytes(StandardCharsets.UTF_8));
            md.update(Long.toString(Files.size(p)).getBytes(StandardCharsets.UTF_8));
        }
        if (files.isEmpty()) {
            throw new IOException(what + " holds no readable JPEG or PNG image"
                    + (skipped > 0 ? " (" + skipped + " unreadable files skipped)" : ""));
        }
        hash = HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("calibration data folder " + dir + " does not exist");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(ImageFolderData::isImageName).sorted().toList();
        }
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    private static RgbImage read(Path p) {
        try {
            return RgbImage.read(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Number of files skipped because they could not be decoded. */
    public int skipped() {
        return skipped;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public long[] sampleShape() {
        return shape.clone();
    }

    @Override
    public FloatTensor batch(int from, int count) throws IOException {
        List<RgbImage> images = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            Path p = files.get(from + s);
            RgbImage img = read(p);
            if (img == null) {
                throw new IOException("image " + p + " became unreadable during calibration");
            }
            images.add(preprocessor.transform(img));
        }
        return preprocessor.toTensor(images);
    }

    @Override
    public String fingerprint() {
        return "images:" + dir.getFileName() + ";files=" + files.size() + ";sha256=" + hash;
    }

    @Override
    public String describe() {
        return files.size() + " images from " + dir + (skipped > 0 ? " (" + skipped + " unreadable skipped)" : "");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
