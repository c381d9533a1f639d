package dev.vitrt.examples.service;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import dev.vitrt.runtime.preprocess.RgbImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns a predict request's body into the model's input tensor, by content type; bad bodies are 4xx errors. Nothing
 * is allocated before it is paid for: an image's size is read from its header and refused (413) past the pixel limit
 * before a pixel is decoded (a 200 KB PNG can decode to 8192x8192), and every large allocation (decoded pixels, the
 * resampling buffers, the input tensor) is first taken from the service's {@link MemoryBudget}.
 */
final class RequestBodies {
    /** Media types a predict request may carry. */
    static final List<String> SUPPORTED = List.of("image/jpeg", "image/png", "application/octet-stream",
            "application/x-npy");
    /** Decoded bytes per pixel: the decoder's image (up to 8 for 16-bit RGBA) and the runtime's int RGB copy (12). */
    static final long DECODE_BYTES_PER_PIXEL = 20;
    /** Bytes per pixel of the resampler's int RGB buffers. */
    static final long RESAMPLE_BYTES_PER_PIXEL = 12;
    private static final int MAX_NPY_BATCH = ServiceOptions.MAX_NPY_BATCH;

    /** What a request may cost: the pixel limit and its share of the memory budget, until its deadline. */
    record Allowance(long maxPixels, MemoryBudget.Share share, long deadlineNanos) {
        void take(long bytes, String what) throws HttpError, InterruptedException {
            share.take(bytes, what, deadlineNanos);
        }
    }

    private RequestBodies() {
    }

    /** The media type without parameters, lower case; null when absent. */
    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Decodes {@code body} of media type {@code type} into an [n, item...] tensor for {@code model}. */
    static FloatTensor decode(String type, byte[] body, ServedModel model, Allowance allowance)
            throws HttpError, InterruptedException {
        if (type == null) {
            throw new HttpError(415, "missing Content-Type; send one of " + SUPPORTED);
        }
        return switch (type) {
            case "image/jpeg", "image/png" -> image(body, model, allowance);
            case "application/octet-stream" -> raw(body, model, allowance);
            case "application/x-npy" -> npy(body, model, allowance);
            default -> throw new HttpError(415, "unsupported Content-Type '" + type + "'; send one of " + SUPPORTED);
        };
    }

    private static FloatTensor image(byte[] body, ServedModel model, Allowance allowance)
            throws HttpError, InterruptedException {
        ImagePreprocessor pre = model.preprocessor();
        if (pre == null) {
            throw new HttpError(415, "model '" + model.name + "' takes tensors of shape "
                    + FloatTensor.shapeString(model.itemShape()) + ", not images; send application/octet-stream");
        }
        if (body.length == 0) {
            throw new HttpError(400, "empty image body");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(body))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new HttpError(400, "body is not a JPEG or PNG image");
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                long cost = checkSize(r.getWidth(0), r.getHeight(0), pre.config().resizeSize(),
                        allowance.maxPixels());
                allowance.take(cost, "decoding a " + r.getWidth(0) + "x" + r.getHeight(0) + " image");
                FloatTensor x = pre.toTensor(List.of(pre.transform(RgbImage.of(r.read(0)))));
                allowance.share().give(cost); // the decoded pixels are garbage now; the tensor is small
                return x;
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new HttpError(400, "corrupt image: " + oneLine(e));
        }
    }

    /**
     * Refuses an image whose pixels, or whose resized pixels (timm's resize keeps the aspect ratio, so a 1 x 100000
     * image would resize to 256 x 25,600,000), exceed {@code maxPixels}; returns the bytes decoding and resizing it
     * take.
     */
    static long checkSize(int w, int h, int resize, long maxPixels) throws HttpError {
        long pixels = (long) w * h;
        if (pixels > maxPixels) {
            throw new HttpError(413, "image is " + w + "x" + h + " (" + pixels + " pixels); the service decodes at most "
                    + maxPixels + " pixels: resize it first");
        }
        long shortSide = Math.min(w, h);
        long longSide = Math.max(w, h);
        long resizedLong = resize * longSide / Math.max(1, shortSide);
        long resized = resizedLong * resize;
        if (resized > maxPixels) {
            throw new HttpError(413, "image is " + w + "x" + h + "; resized for the model it would be " + resize + "x"
                    + resizedLong + " (" + resized + " pixels), over the limit of " + maxPixels + ": crop it first");
        }
        // horizontal pass: resized width x original height; vertical pass: the resized image
        long horizontal = (w <= h ? resize : resizedLong) * (long) h;
        return pixels * DECODE_BYTES_PER_PIXEL + (horizontal + resized) * RESAMPLE_BYTES_PER_PIXEL;
    }

    private static FloatTensor raw(byte[] body, ServedModel model, Allowance allowance)
            throws HttpError, InterruptedException {
        long[] item = model.itemShape();
        if (Arrays.stream(item).anyMatch(d -> d < 0)) {
            throw new HttpError(415, "model '" + model.name + "' has dynamic dims " + FloatTensor.shapeString(item)
                    + "; send application/x-npy, which carries its shape");
        }
        long count = FloatTensor.elementCount(item);
        if (body.length != count * 4) {
            throw new HttpError(400, "tensor body has " + body.length + " bytes; model '" + model.name + "' takes "
                    + count * 4 + " (float32 little-endian " + FloatTensor.shapeString(item) + ")");
        }
        allowance.take(count * 4, "the input tensor");
        float[] data = new float[(int) count];
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new FloatTensor(withBatch(1, item), data);
    }

    /** An .npy body: the header is read and checked (shape, batch, memory) before the data is allocated. */
    private static FloatTensor npy(byte[] body, ServedModel model, Allowance allowance)
            throws HttpError, InterruptedException {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        Npy.Header h;
        try {
            h = Npy.readHeader(in, "body");
            h.requireFloat32C("body"); // before the memory is taken for it
        } catch (IOException e) {
            throw new HttpError(400, e.getMessage());
        }
        long[] shape = h.shape();
        long[] item = model.itemShape();
        long[] full;
        if (shape.length == item.length) {
            full = withBatch(1, shape);
        } else if (shape.length == item.length + 1) {
            full = shape;
        } else {
            throw new HttpError(400, ".npy shape " + FloatTensor.shapeString(shape) + " does not fit model '"
                    + model.name + "' (" + FloatTensor.shapeString(item) + " or [n, ...])");
        }
        for (int i = 0; i < item.length; i++) {
            if (full[i + 1] < 1 || (item[i] >= 0 && item[i] != full[i + 1])) {
                throw new HttpError(400, ".npy shape " + FloatTensor.shapeString(shape) + " does not fit model '"
                        + model.name + "' (" + FloatTensor.shapeString(item) + " or [n, ...])");
            }
        }
        if (full[0] < 1 || full[0] > MAX_NPY_BATCH) {
            throw new HttpError(400, ".npy batch of " + full[0] + " images; send 1 to " + MAX_NPY_BATCH);
        }
        long count;
        try {
            count = Math.multiplyExact(FloatTensor.elementCount(full), 4) / 4;
        } catch (ArithmeticException e) {
            throw new HttpError(400, ".npy shape " + FloatTensor.shapeString(full) + " is impossibly large");
        }
        allowance.take(count * 4, "the input tensor");
        try {
            return new FloatTensor(full, Npy.readData(in, h, "body").data());
        } catch (IOException e) {
            throw new HttpError(400, e.getMessage());
        }
    }

    private static long[] withBatch(long n, long[] item) {
        long[] s = new long[item.length + 1];
        s[0] = n;
        System.arraycopy(item, 0, s, 1, item.length);
        return s;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
