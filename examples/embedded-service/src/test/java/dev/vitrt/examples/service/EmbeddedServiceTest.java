package dev.vitrt.examples.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.classify.ClassNames;
import dev.vitrt.runtime.classify.Classification;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import dev.vitrt.runtime.preprocess.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;
    static Path model;
    static EmbeddedService service;
    static Backend direct;

    @BeforeAll
    static void start() throws Exception {
        model = TestModels.tinyFc(dir, true);
        service = EmbeddedService.start(ServiceOptions.parse(new String[] {"--model", "tiny=" + model, "--port", "0",
                "--max-batch", "8", "--max-wait-us", "1000", "--threads", "1", "--http-threads", "16"}));
        direct = Backends.open(model, BackendKind.ONNXRUNTIME, BackendOptions.defaults().withIntraOpThreads(1));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (direct != null) {
            direct.close();
        }
    }

    @Test
    void healthListsTheModelAndItsBatching() throws Exception {
        HttpResponse<String> r = get("/health");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode h = JSON.readTree(r.body());
        assertEquals("ok", h.get("status").asText());
        JsonNode m = h.get("models").get("tiny");
        assertTrue(m.get("batching").asText().startsWith("dynamic batching: max batch 8"), m.toString());
        assertTrue(m.get("input").asText().contains("3, 32, 32"), m.toString());
    }

    @Test
    void rawTensorGetsTheDirectRunsTopK() throws Exception {
        float[] x = random(3 * 32 * 32, 1);
        HttpResponse<String> r = post("/v1/models/tiny:predict?top_k=7", "application/octet-stream", le(x));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = JSON.readTree(r.body());
        assertEquals("tiny", p.get("model").asText());
        assertEquals(1, p.get("predictions").size());
        assertSameAsDirect(new FloatTensor(new long[] {1, 3, 32, 32}, x), p.get("predictions"), 7);
    }

    @Test
    void npyBatchOfTwoGetsOneListPerImage() throws Exception {
        float[] x = random(2 * 3 * 32 * 32, 2);
        HttpResponse<String> r = post("/v1/models/tiny:predict", "application/x-npy", npy(x, 2, 3, 32, 32));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode preds = JSON.readTree(r.body()).get("predictions");
        assertEquals(2, preds.size());
        assertSameAsDirect(new FloatTensor(new long[] {2, 3, 32, 32}, x), preds, 5);
        // one item without the batch dimension is accepted too
        HttpResponse<String> one = post("/v1/models/tiny:predict", "application/x-npy",
                npy(Arrays.copyOf(x, 3 * 32 * 32), 3, 32, 32));
        assertEquals(200, one.statusCode(), one.body());
    }

    @Test
    void pngAndJpegArePreprocessedWithTheModelsTransform() throws Exception {
        BufferedImage img = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(5);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 50; x++) {
                img.setRGB(x, y, rnd.nextInt(1 << 24));
            }
        }
        for (String format : List.of("png", "jpeg")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, format, out);
            byte[] bytes = out.toByteArray();
            HttpResponse<String> r = post("/v1/models/tiny:predict", "image/" + format + "; q=1", bytes);
            assertEquals(200, r.statusCode(), r.body());
            // what the runtime's own preprocessing makes of the same bytes
            ImagePreprocessor pre = ImagePreprocessor.forModel(direct.metadata(), null);
            assertEquals(32, pre.config().inputSize());
            FloatTensor x = pre.toTensor(List.of(pre.transform(RgbImage.of(ImageIO.read(new ByteArrayInputStream(bytes))))));
            assertSameAsDirect(x, JSON.readTree(r.body()).get("predictions"), 5);
        }
    }

    @Test
    void badRequestsGetJson4xxAndTheServiceKeepsServing() throws Exception {
        byte[] ok = le(random(3 * 32 * 32, 3));
        record Bad(String method, String path, String type, byte[] body, int status, String says) {
        }
        List<Bad> bad = List.of(
                new Bad("POST", "/v1/models/tiny:predict", "text/plain", "hello".getBytes(StandardCharsets.UTF_8), 415,
                        "unsupported Content-Type 'text/plain'"),
                new Bad("POST", "/v1/models/tiny:predict", null, ok, 415, "missing Content-Type"),
                new Bad("POST", "/v1/models/tiny:predict", "image/png", "not a png".getBytes(StandardCharsets.UTF_8),
                        400, "not a JPEG or PNG"),
                new Bad("POST", "/v1/models/tiny:predict", "image/jpeg", truncatedJpeg(), 400, "corrupt image"),
                new Bad("POST", "/v1/models/tiny:predict", "application/octet-stream", Arrays.copyOf(ok, ok.length - 4),
                        400, "takes 12288"),
                new Bad("POST", "/v1/models/tiny:predict", "application/x-npy", npy(random(10, 4), 10), 400,
                        "does not fit model 'tiny'"),
                new Bad("POST", "/v1/models/tiny:predict", "application/x-npy", ok, 400, "not an .npy file"),
                new Bad("POST", "/v1/models/resnet:predict", "application/octet-stream", ok, 404,
                        "unknown model 'resnet'"),
                new Bad("POST", "/v1/models/tiny:predict?top_k=0", "application/octet-stream", ok, 400, "top_k"),
                new Bad("GET", "/v1/models/tiny:predict", null, null, 405, "use POST"),
                new Bad("POST", "/health", "application/json", "{}".getBytes(StandardCharsets.UTF_8), 405, "use GET"),
                new Bad("GET", "/v2/models", null, null, 404, "no such endpoint"));
        for (Bad b : bad) {
            HttpRequest.Builder req = HttpRequest.newBuilder(service.baseUri().resolve(b.path()));
            if (b.type() != null) {
                req.header("Content-Type", b.type());
            }
            req.method(b.method(), b.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(b.body()));
            HttpResponse<String> r = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(b.status(), r.statusCode(), b + " -> " + r.body());
            JsonNode e = JSON.readTree(r.body());
            assertEquals(b.status(), e.get("status").asInt());
            assertTrue(e.get("error").asText().contains(b.says()), b.says() + " in " + r.body());
            // and a good request right after each bad one is still answered
            assertEquals(200, post("/v1/models/tiny:predict", "application/octet-stream", ok).statusCode());
        }
    }

    @Test
    void labelsMustNameAServedModelAndMatchItsClasses() throws Exception {
        Path three = java.nio.file.Files.writeString(dir.resolve("three.txt"), "cat\ndog\nbird\n");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ServiceOptions.parse(
                new String[] {"--model", "tiny=" + model, "--labels", "other=" + three}));
        assertTrue(unknown.getMessage().contains("--labels other=... names no served model"), unknown.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> EmbeddedService.start(
                ServiceOptions.parse(new String[] {"--model", "tiny=" + model, "--labels", "tiny=" + three,
                        "--port", "0"})));
        assertTrue(size.getMessage().contains("--labels names 3 classes but tiny"), size.getMessage());
    }

    @Test
    void shutdownFinishesRequestsInFlightThenRefusesNewOnes() throws Exception {
        // a long max wait keeps the requests inside the batcher when shutdown starts
        EmbeddedService s = EmbeddedService.start(ServiceOptions.parse(new String[] {"--model", "tiny=" + model,
                "--port", "0", "--max-batch", "64", "--max-wait-us", "600000", "--threads", "1"}));
        URI base = s.baseUri();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inFlight.add(HTTP.sendAsync(HttpRequest.newBuilder(base.resolve("/v1/models/tiny:predict"))
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(le(random(3 * 32 * 32, 10 + i)))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(250);
        assertTrue(inFlight.stream().noneMatch(CompletableFuture::isDone), "requests should still be batching");
        long t0 = System.nanoTime();
        s.close();
        long closeMs = (System.nanoTime() - t0) / 1_000_000;
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            assertTrue(f.isDone() || f.get().statusCode() == 200);
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1, JSON.readTree(r.body()).get("predictions").size());
        }
        assertTrue(closeMs < 5000, "close took " + closeMs + " ms");
        HttpClient fresh = HttpClient.newHttpClient();
        assertThrows(IOException.class, () -> fresh.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    // --- helpers ---

    private static void assertSameAsDirect(FloatTensor x, JsonNode predictions, int k) throws Exception {
        FloatTensor logits = direct.run(x);
        int per = (int) (logits.data().length / x.dim(0));
        for (int i = 0; i < x.dim(0); i++) {
            List<Classification> want = Classification.topK(logits, i, k, ClassNames.imageNet1k());
            JsonNode got = predictions.get(i);
            assertEquals(k, got.size());
            for (int j = 0; j < k; j++) {
                assertEquals(want.get(j).index(), got.get(j).get("index").asInt(), "class at rank " + j);
                assertEquals(want.get(j).name(), got.get(j).get("name").asText(), "ImageNet-1k name of a 1000-class model");
                assertEquals(want.get(j).logit(), got.get(j).get("logit").asDouble(), 1e-4);
                assertEquals(want.get(j).probability(), got.get(j).get("probability").asDouble(), 1e-5);
            }
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(service.baseUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String type, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(service.baseUri().resolve(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static byte[] le(float[] x) {
        ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(x);
        return b.array();
    }

    /** A version-1 .npy of float32 with this shape. */
    static byte[] npy(float[] x, long... shape) {
        StringBuilder s = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
        for (long d : shape) {
            s.append(d).append(", ");
        }
        s.append("), }");
        while ((10 + s.length() + 1) % 64 != 0) {
            s.append(' ');
        }
        s.append('\n');
        byte[] h = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length).put(h);
        b.asFloatBuffer().put(x);
        return b.array();
    }

    private static byte[] truncatedJpeg() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return Arrays.copyOf(out.toByteArray(), 200);
    }

    /** Plans and --backend tensorrt reach TensorRT through Backends; where it cannot run, one line says why. */
    @Test
    void plansAndTensorRtWithoutItFailInOneLineAboutTensorRt() throws Exception {
        try {
            Backends.choose(BackendKind.TENSORRT);
            return; // TensorRT runs here: nothing to refuse
        } catch (dev.vitrt.runtime.BackendException expected) {
            // the case under test
        }
        Path plan = java.nio.file.Files.write(dir.resolve("m.plan"), new byte[] {1, 2, 3});
        for (String[] args : new String[][] {{"--model", "m=" + plan, "--port", "0"},
                {"--model", "m=" + model, "--backend", "tensorrt", "--port", "0"}}) {
            Exception e = assertThrows(Exception.class, () -> EmbeddedService.start(ServiceOptions.parse(args)).close());
            assertTrue(e.getMessage().contains("TensorRT") && !e.getMessage().contains("not an .onnx")
                    && e.getMessage().lines().count() == 1, e.getMessage());
        }
    }
}
