package dev.vitrt.bench;

import dev.vitrt.benchmark.Interleaving;
import dev.vitrt.benchmark.SideBySide;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.preprocess.ImageBatchLoader;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import dev.vitrt.runtime.validate.LabelledImages;
import dev.vitrt.runtime.validate.Scorer;
import dev.vitrt.runtime.validate.ValidationReport;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Where {@code vitrt validate}'s time goes, for one model: decode+preprocess alone (the worker threads feeding batches
 * to nobody), the model alone (batches already in memory) and end to end (the Scorer, as the command runs it), each
 * as images per second, in interleaved rounds with the order changing (Interleaving) so machine load hits all three alike. The model's
 * own rate is the baseline: end to end at or near it means validation is model-bound; decode+preprocess above it means
 * the workers keep up.
 *
 * <p>Images: a folder of JPEGs (default: 256 generated at ImageNet's typical sizes, 500x375, 375x500, 500x333,
 * quality 90, in a temporary folder). Usage:
 * {@code ValidateThroughputBench --model mobilevitv2_050|nextvit_small|FILE.onnx [--weights W] [--data DIR]
 * [--images 256] [--batch 32] [--workers 1] [--threads 0] [--rounds 3]}
 */
public final class ValidateThroughputBench {
    private ValidateThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        String model = arg(args, "--model", null);
        if (model == null) {
            System.err.println("usage: ValidateThroughputBench --model NAME|FILE.onnx [--weights W] [--data DIR]"
                    + " [--images N] [--batch N] [--workers N] [--threads N] [--rounds N]");
            System.exit(2);
        }
        int images = Integer.parseInt(arg(args, "--images", "256"));
        int batch = Integer.parseInt(arg(args, "--batch", "32"));
        int workers = Integer.parseInt(arg(args, "--workers", "1"));
        int threads = Integer.parseInt(arg(args, "--threads", "0"));
        int rounds = Integer.parseInt(arg(args, "--rounds", "3"));
        String weights = arg(args, "--weights", null);
        String data = arg(args, "--data", null);

        Path tmp = Files.createTempDirectory("vitrt-validate-bench-");
        try {
            Path onnx = model.endsWith(".onnx") ? Path.of(model) : export(model, weights, tmp);
            Path dir = data != null ? Path.of(data) : generate(tmp.resolve("images"), images);
            try (Backend b = OnnxRuntimeBackend.open(onnx, BackendOptions.defaults().withIntraOpThreads(threads))) {
                int classes = (int) b.outputs().get(0).shape()[1];
                LabelledImages all = LabelledImages.fromFolder(dir, classes, null).limit(images);
                ImagePreprocessor pre = ImagePreprocessor.forModel(b.metadata(), b.singleInput(), null);
                System.out.printf(Locale.ROOT, "%s: %d images from %s, %s; batch %d, %d decode workers, %s ORT"
                                + " threads, %d cores%n", onnx.getFileName(), all.size(), dir, pre, batch, workers,
                        threads == 0 ? "default" : threads, Runtime.getRuntime().availableProcessors());
                // warm-up: JIT, ORT's first runs, the page cache
                decode(all, pre, batch, workers);
                model(b, firstBatch(all, pre, batch, workers), Math.min(all.size(), 2 * batch));
                double[][] r = new double[3][rounds];
                String[] names = {"decode+preprocess", "model", "end to end"};
                FloatTensor x = firstBatch(all, pre, batch, workers);
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < 3; k++) {
                        int which = Interleaving.order(round, k, 3); // no part always first
                        r[which][round] = switch (which) {
                            case 0 -> decode(all, pre, batch, workers);
                            case 1 -> model(b, x, all.size());
                            default -> endToEnd(b, all, pre, batch, workers);
                        };
                    }
                    System.out.printf(Locale.ROOT, "round %d: decode+preprocess %.1f, model %.1f, end to end %.1f"
                            + " images/s%n", round + 1, r[0][round], r[1][round], r[2][round]);
                }
                System.out.printf(Locale.ROOT, "%n%-18s %10s %10s %10s %14s%n", "images/s", "median", "min", "max",
                        "vs model");
                double modelMedian = SideBySide.median(r[1]);
                for (int k = 0; k < 3; k++) {
                    System.out.printf(Locale.ROOT, "%-18s %10.1f %10.1f %10.1f %13.2fx%n", names[k], SideBySide.median(r[k]),
                            Arrays.stream(r[k]).min().orElse(0), Arrays.stream(r[k]).max().orElse(0),
                            SideBySide.median(r[k]) / modelMedian);
                }
            }
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Images/s of the loader alone: every batch decoded, preprocessed and dropped. */
    static double decode(LabelledImages data, ImagePreprocessor pre, int batch, int workers) throws Exception {
        long t0 = System.nanoTime();
        int n = 0;
        try (ImageBatchLoader l = new ImageBatchLoader(data.files(), pre, batch, workers)) {
            while (l.hasNext()) {
                n += l.next().size();
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** Images/s of the model alone on a batch already in memory, for about {@code images} images. */
    static double model(Backend b, FloatTensor x, int images) throws Exception {
        int runs = Math.max(1, images / (int) x.dim(0));
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            b.run(x);
        }
        return runs * x.dim(0) / ((System.nanoTime() - t0) / 1e9);
    }

    /** Images/s of the Scorer, decoding and running the model together as {@code vitrt validate} does. */
    static double endToEnd(Backend b, LabelledImages data, ImagePreprocessor pre, int batch, int workers)
            throws Exception {
        ValidationReport r = Scorer.score(List.of(new Scorer.Model("fp32", b)), data, pre,
                new Scorer.Options(batch, workers), Progress.NONE);
        return r.throughput().endToEndImagesPerSecond();
    }

    static FloatTensor firstBatch(LabelledImages data, ImagePreprocessor pre, int batch, int workers) throws Exception {
        try (ImageBatchLoader l = new ImageBatchLoader(data.files().subList(0, Math.min(batch, data.size())), pre,
                batch, workers)) {
            return l.next().tensor();
        }
    }

    static Path export(String name, String weights, Path dir) throws Exception {
        ExportOptions o = ExportOptions.defaults();
        ExportedModel m = Exporter.export(name, weights == null ? o : o.withWeights(Path.of(weights)));
        Path f = dir.resolve(name + ".onnx");
        try (OutputStream out = Files.newOutputStream(f)) {
            OnnxWriter.write(m.graph(), out);
        }
        return f;
    }

    /** ImageNet-like JPEGs: a gradient, shapes and noise, at ImageNet's common sizes, quality 90, in class folder 0. */
    static Path generate(Path dir, int count) throws Exception {
        Path cls = Files.createDirectories(dir.resolve("0"));
        int[][] sizes = {{500, 375}, {375, 500}, {500, 333}};
        Random rnd = new Random(1);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.9f);
        for (int i = 0; i < count; i++) {
            int[] s = sizes[i % sizes.length];
            BufferedImage img = new BufferedImage(s[0], s[1], BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = img.createGraphics();
            g.setPaint(new java.awt.GradientPaint(0, 0, new Color(rnd.nextInt()), s[0], s[1], new Color(rnd.nextInt())));
            g.fillRect(0, 0, s[0], s[1]);
            for (int k = 0; k < 12; k++) {
                g.setColor(new Color(rnd.nextInt()));
                g.fillOval(rnd.nextInt(s[0]), rnd.nextInt(s[1]), 20 + rnd.nextInt(200), 20 + rnd.nextInt(200));
            }
            g.dispose();
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    int v = img.getRGB(x, y);
                    int n = (int) (rnd.nextGaussian() * 8);
                    img.setRGB(x, y, (clip(((v >> 16) & 255) + n) << 16) | (clip(((v >> 8) & 255) + n) << 8)
                            | clip((v & 255) + n));
                }
            }
            try (ImageOutputStream out = ImageIO.createImageOutputStream(dir.resolve("0").resolve(
                    String.format(Locale.ROOT, "img%04d.jpg", i)).toFile())) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(img, null, null), p);
            }
        }
        writer.dispose();
        return dir;
    }

    private static int clip(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
