package dev.vitrt.runtime.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import dev.vitrt.runtime.preprocess.Resampler;
import dev.vitrt.runtime.session.InferenceSession;
import dev.vitrt.runtime.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageClassifierTest {
    /** Preprocessing far from timm's defaults, so that a classifier ignoring the metadata gives other logits. */
    private static final Map<String, String> PREPROCESSING = Map.of("vitrt.mean", "0.5,0.25,0.125",
            "vitrt.std", "0.2,0.3,0.4", "vitrt.crop_pct", "0.9", "vitrt.interpolation", "bilinear");
    private static final ImageClassifier.Options ONE_THREAD = ImageClassifier.Options.defaults()
            .withBackend(BackendKind.ONNXRUNTIME).withBackendOptions(BackendOptions.defaults().withIntraOpThreads(1));

    @Test
    void classifiesWithTheModelsOwnPreprocessingAndImageNetNames(@TempDir Path dir) throws Exception {
        Path model = TinyModels.taggedCnn(dir.resolve("m.onnx"), 32, 8, 1000, true, PREPROCESSING);
        Path image = image(dir.resolve("a.png"), 50, 40, 1);
        // the reference: the transform spelled out from the values written into the graph, run on the backend alone
        ImagePreprocessor spelledOut = new ImagePreprocessor(new ImagePreprocessor.Config(32, 0.9,
                new float[] {0.5f, 0.25f, 0.125f}, new float[] {0.2f, 0.3f, 0.4f}, Resampler.Filter.BILINEAR));
        ImagePreprocessor timmDefaults = new ImagePreprocessor(new ImagePreprocessor.Config(32, 0.875,
                ImagePreprocessor.IMAGENET_MEAN, ImagePreprocessor.IMAGENET_STD, Resampler.Filter.BICUBIC));
        try (ImageClassifier classifier = ImageClassifier.open(model, ONE_THREAD);
             Backend backend = Backends.open(model, BackendKind.ONNXRUNTIME, ONE_THREAD.backendOptions())) {
            List<Classification> top = classifier.classify(image, 5);
            FloatTensor expected = backend.run(spelledOut.load(image));
            assertSame(Classification.topK(expected, 0, 5, ClassNames.imageNet1k()), top);
            assertEquals(ClassNames.imageNet1k().name(top.get(0).index()), top.get(0).name());
            for (int i = 1; i < top.size(); i++) {
                assertTrue(top.get(i).probability() <= top.get(i - 1).probability(), "most likely first");
            }
            FloatTensor withDefaults = backend.run(timmDefaults.load(image));
            assertFalse(close(withDefaults.data(), expected.data(), 1e-3f), "the metadata's preprocessing matters here");
        }
    }

    @Test
    void filesDecodedImagesAndOneBatchAgree(@TempDir Path dir) throws Exception {
        Path model = TinyModels.taggedCnn(dir.resolve("m.onnx"), 32, 8, 1000, true, PREPROCESSING);
        List<Path> images = List.of(image(dir.resolve("a.png"), 50, 40, 1), image(dir.resolve("b.png"), 30, 64, 2),
                image(dir.resolve("c.png"), 32, 32, 3));
        try (ImageClassifier classifier = ImageClassifier.open(model, ONE_THREAD)) {
            List<List<Classification>> batch = classifier.classifyAll(images, 3);
            assertEquals(3, batch.size());
            for (int i = 0; i < images.size(); i++) {
                BufferedImage decoded = ImageIO.read(images.get(i).toFile());
                assertSame(classifier.classify(images.get(i), 3), batch.get(i));
                assertSame(classifier.classify(decoded, 3), batch.get(i));
            }
        }
    }

    @Test
    void manyThreadsThroughTheBatcherGetTheirOwnAnswers(@TempDir Path dir) throws Exception {
        Path model = TinyModels.taggedCnn(dir.resolve("m.onnx"), 32, 8, 1000, true, PREPROCESSING);
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            images.add(image(dir.resolve(i + ".png"), 36 + i, 48 - i, 10 + i));
        }
        List<List<Classification>> oneByOne = new ArrayList<>();
        try (ImageClassifier classifier = ImageClassifier.open(model, ONE_THREAD)) {
            for (Path p : images) {
                oneByOne.add(classifier.classify(p, 5));
            }
        }
        ImageClassifier.Options batched = ONE_THREAD.withBatching(
                new InferenceSession.Batching(8, Duration.ofMillis(20), 1));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (ImageClassifier classifier = ImageClassifier.open(model, batched)) {
            List<Future<List<Classification>>> answers = new ArrayList<>();
            for (Path p : images) {
                answers.add(threads.submit(() -> classifier.classify(p, 5)));
            }
            for (int i = 0; i < images.size(); i++) {
                assertSame(oneByOne.get(i), answers.get(i).get());
            }
            int runs = classifier.session().batchesRun();
            assertTrue(runs >= 1 && runs <= images.size(), runs + " runs");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void classNamesGivenMustFitAndOtherHeadsHaveNone(@TempDir Path dir) throws Exception {
        Path pets = TinyModels.taggedCnn(dir.resolve("pets.onnx"), 32, 8, 3, true, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageClassifier.open(pets,
                ONE_THREAD.withClassNames(ClassNames.of(List.of("cat", "dog")))));
        assertTrue(e.getMessage().contains("classNames has 2 names but") && e.getMessage().contains("3 classes"),
                e.getMessage());
        Path image = image(dir.resolve("a.png"), 40, 40, 4);
        try (ImageClassifier classifier = ImageClassifier.open(pets,
                ONE_THREAD.withClassNames(ClassNames.of(List.of("cat", "dog", "bird"))))) {
            assertTrue(List.of("cat", "dog", "bird").contains(classifier.classify(image, 1).get(0).name()));
        }
        try (ImageClassifier classifier = ImageClassifier.open(pets, ONE_THREAD)) {
            assertTrue(classifier.classNames().isEmpty());
            assertEquals(null, classifier.classify(image, 1).get(0).name());
            assertEquals(3, classifier.classify(image, 10).size(), "k is capped at the number of classes");
        }
    }

    @Test
    void theGraphsFixedSizeWinsOverItsMetadata(@TempDir Path dir) throws Exception {
        // a graph re-fixed at 32x32 (as polygraphy or onnxsim do) whose metadata still says 48: the graph takes 32
        Path model = TinyModels.taggedCnn(dir.resolve("m.onnx"), 32, 8, 1000, false, Map.of("vitrt.input_size", "48"));
        try (ImageClassifier classifier = ImageClassifier.open(model, ONE_THREAD)) {
            assertEquals(32, classifier.preprocessor().config().inputSize());
        }
    }

    /** Same classes in the same order with the same names; logits and probabilities equal to float rounding. */
    private static void assertSame(List<Classification> expected, List<Classification> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).index(), actual.get(i).index(), "rank " + i);
            assertEquals(expected.get(i).name(), actual.get(i).name());
            assertEquals(expected.get(i).logit(), actual.get(i).logit(), 1e-5f);
            assertEquals(expected.get(i).probability(), actual.get(i).probability(), 1e-6);
        }
    }

    private static boolean close(float[] a, float[] b, float tol) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    /** A PNG of smooth color gradients with some noise, different for every seed. */
    static Path image(Path file, int w, int h, int seed) throws IOException {
        Random rnd = new Random(seed);
        int r0 = rnd.nextInt(256);
        int g0 = rnd.nextInt(256);
        int b0 = rnd.nextInt(256);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (r0 + 255 * x / w + rnd.nextInt(16)) & 255;
                int g = (g0 + 255 * y / h + rnd.nextInt(16)) & 255;
                int b = (b0 + 127 * (x + y) / (w + h) + rnd.nextInt(16)) & 255;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
