package dev.vitrt.examples.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile client against the service, on loopback and bounded in time and memory: slow connections, image bombs,
 * bursts. What is asserted is what a client gets (answers, statuses, {@code /health} answering within a generous
 * bound, the process's resident memory), never a speed. The JDK server's read timeout is 3 s in this module's tests
 * (surefire sets {@code sun.net.httpserver.maxReqTime}; it is read once per JVM).
 */
class ServiceLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void model() throws Exception {
        model = TestModels.tinyFc(dir, true);
    }

    @Test
    void healthAnswersWhileAHundredSlowClientsHoldConnectionsAndTheyAreCutOff() throws Exception {
        try (EmbeddedService s = start()) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    Socket c = new Socket(s.address().getAddress(), s.address().getPort());
                    OutputStream out = c.getOutputStream();
                    String head = "POST /v1/models/tiny:predict HTTP/1.1\r\nHost: localhost\r\n";
                    if (i % 2 == 0) {
                        out.write(head.getBytes(StandardCharsets.US_ASCII)); // headers never finished
                    } else {
                        out.write((head + "Content-Type: application/octet-stream\r\nContent-Length: 12288\r\n\r\n"
                                + "0123456789").getBytes(StandardCharsets.US_ASCII)); // a body that never comes
                    }
                    out.flush();
                    slow.add(c);
                }
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> h = http.send(HttpRequest.newBuilder(s.baseUri().resolve("/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, h.statusCode(), h.body());
                }
                // the read timeout closes every slow connection (3 s here, checked once a second)
                for (Socket c : slow) {
                    c.setSoTimeout(20_000);
                    assertTrue(closedByServer(c), "a slow connection is still open");
                }
            } finally {
                for (Socket c : slow) {
                    c.close();
                }
            }
            assertEquals("ok", health(s).get("status").asText());
        }
    }

    @Test
    void sixteenPngBombsAreAllRefusedWithoutExhaustingMemory() throws Exception {
        byte[] bomb = zeroPng(8192, 8192);
        assertTrue(bomb.length < 400_000, "a small file: " + bomb.length);
        try (EmbeddedService s = start()) {
            List<HttpResponse<String>> answers = concurrently(s, 16, "image/png", bomb);
            for (HttpResponse<String> r : answers) {
                assertEquals(413, r.statusCode(), r.body());
                assertTrue(r.body().contains("8192x8192 (67108864 pixels); the service decodes at most 16777216"),
                        r.body());
            }
            // an image whose aspect ratio makes the resized image the bomb
            HttpResponse<String> thin = post(s, "image/png", zeroPng(1, 60_000));
            assertEquals(413, thin.statusCode(), thin.body());
            assertTrue(thin.body().contains("resized for the model it would be"), thin.body());
            assertEquals("ok", health(s).get("status").asText());
        }
        long rss = residentBytes();
        assertTrue(rss < (4L << 30), "resident memory " + (rss >> 20) + " MiB");
    }

    @Test
    void imagesUnderThePixelLimitShareTheMemoryBudget() throws Exception {
        byte[] big = zeroPng(2048, 2048); // about 81 MiB to decode and resize
        try (EmbeddedService small = start("--max-inflight-mb", "64")) {
            HttpResponse<String> r = post(small, "image/png", big);
            assertEquals(413, r.statusCode(), r.body());
            assertTrue(r.body().contains("the service holds at most 64 MiB of request data at once"), r.body());
        }
        try (EmbeddedService s = start("--max-inflight-mb", "150")) {
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (HttpResponse<String> r : concurrently(s, 6, "image/png", big)) {
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() == 503) {
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), r.body());
                }
            }
            assertTrue(statuses.keySet().stream().allMatch(c -> c == 200 || c == 503), statuses.toString());
            assertTrue(statuses.getOrDefault(200, 0) >= 1, statuses.toString());
            assertEquals(0.0, health(s).get("inflight_mb").asDouble(), "every share given back");
        }
    }

    @Test
    void aBurstOfTwoHundredIsAnsweredWith200Or503AndRetryAfter() throws Exception {
        byte[] tensor = BatchingBench.randomTensors(new long[] {3, 32, 32}, 1, 5).get(0);
        try (EmbeddedService s = start("--max-queue", "8", "--max-batch", "4", "--workers", "1")) {
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (HttpResponse<String> r : concurrently(s, 200, "application/octet-stream", tensor)) {
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() == 503) {
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), r.body());
                    assertTrue(r.body().contains("queue is full") || r.body().contains("request timeout"), r.body());
                } else {
                    assertEquals(200, r.statusCode(), r.body());
                    assertEquals(5, JSON.readTree(r.body()).get("predictions").get(0).size());
                }
            }
            assertTrue(statuses.getOrDefault(200, 0) >= 1, statuses.toString());
            JsonNode h = health(s);
            assertEquals(0, h.get("models").get("tiny").get("queued").asInt());
            assertEquals(8, h.get("limits").get("max_queue").asInt());
        }
    }

    private static EmbeddedService start(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--model", "tiny=" + model, "--port", "0", "--threads", "1"));
        args.addAll(List.of(extra));
        return EmbeddedService.start(ServiceOptions.parse(args.toArray(String[]::new)));
    }

    /** {@code n} requests sent at once; every one must be answered within 30 s. */
    private static List<HttpResponse<String>> concurrently(EmbeddedService s, int n, String type, byte[] body)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(http.sendAsync(request(s, type, body), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        List<HttpResponse<String>> out = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : sent) {
            out.add(f.get());
        }
        return out;
    }

    private static HttpResponse<String> post(EmbeddedService s, String type, byte[] body) throws Exception {
        return HttpClient.newHttpClient().send(request(s, type, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(EmbeddedService s, String type, byte[] body) {
        return HttpRequest.newBuilder(s.baseUri().resolve("/v1/models/tiny:predict")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static JsonNode health(EmbeddedService s) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.baseUri()
                + "/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static boolean closedByServer(Socket c) throws IOException {
        try {
            InputStream in = c.getInputStream();
            byte[] buf = new byte[4096];
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    return true; // closed; anything read before was an answer, also fine
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    /** This process's resident memory (VmRSS), in bytes. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    /**
     * A valid RGB PNG of zeros: a few hundred kilobytes on the wire whatever its size in pixels, written chunk by
     * chunk (IHDR, one zlib IDAT, IEND) as the PNG specification lays them out, without ever holding the pixels.
     */
    static byte[] zeroPng(int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            byte[] row = new byte[1 + width * 3]; // filter type 0, then the row's samples
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, RGB, deflate, adaptive filtering, no interlace
        chunk(png, "IHDR", ihdr.toByteArray());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
