package dev.vitrt.examples.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator for the service, on loopback only: {@code concurrency} client threads each send a
 * request, wait for the answer and send the next, for a bounded time and number of requests. Every answer is checked
 * against the answer the same input got when sent alone (same classes in the same order, logits equal within a
 * float tolerance), so batching is shown not to change results.
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Logits may differ by float rounding between batch sizes (different kernels); relative to max(1, |logit|). */
    static final double LOGIT_TOLERANCE = 1e-4;

    /** One request body, and the predictions it got alone. */
    public record Input(String contentType, byte[] body, JsonNode expected) {
    }

    /**
     * What one load run measured.
     *
     * @param requests      requests answered after warm-up
     * @param errors        non-200 answers and failed requests
     * @param mismatches    200 answers whose predictions differ from the single-request answer
     * @param maxLogitDiff  largest |logit - single-request logit| seen
     * @param latenciesNanos every counted request's latency, sorted
     */
    public record Result(int concurrency, long requests, long errors, long mismatches, double seconds,
                         double requestsPerSecond, double p50Ms, double p99Ms, double maxLogitDiff,
                         List<String> errorSamples, long[] latenciesNanos) {

        /** Several runs at one concurrency as one: requests and time add up, latencies pool. */
        public static Result merge(List<Result> parts) {
            long[] all = parts.stream().flatMapToLong(r -> Arrays.stream(r.latenciesNanos)).sorted().toArray();
            double seconds = parts.stream().mapToDouble(Result::seconds).sum();
            List<String> samples = parts.stream().flatMap(r -> r.errorSamples.stream()).limit(5).toList();
            return new Result(parts.get(0).concurrency, all.length, parts.stream().mapToLong(Result::errors).sum(),
                    parts.stream().mapToLong(Result::mismatches).sum(), seconds, all.length / seconds,
                    percentile(all, 0.50), percentile(all, 0.99),
                    parts.stream().mapToDouble(Result::maxLogitDiff).max().orElse(0), samples, all);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "concurrency %d: %d requests in %.1f s, %.1f req/s, p50 %.2f ms, "
                            + "p99 %.2f ms, %d errors, %d mismatches (max logit diff %.2g)", concurrency, requests,
                    seconds, requestsPerSecond, p50Ms, p99Ms, errors, mismatches, maxLogitDiff);
        }
    }

    private final URI base;
    private final String model;
    private final HttpClient client;

    /** A generator for {@code model} on the service at {@code base}, which must be a loopback address. */
    public LoadGenerator(URI base, String model) throws IOException {
        if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("load tests run on loopback only; " + base.getHost()
                    + " is not a loopback address");
        }
        this.base = base;
        this.model = model;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Sends each body alone, one after the other, and keeps its predictions as the reference. */
    public List<Input> withReferences(String contentType, List<byte[]> bodies) throws IOException,
            InterruptedException {
        List<Input> out = new ArrayList<>();
        for (byte[] b : bodies) {
            HttpResponse<byte[]> r = send(contentType, b);
            if (r.statusCode() != 200) {
                throw new IOException("reference request failed: " + r.statusCode() + " " + new String(r.body()));
            }
            out.add(new Input(contentType, b, JSON.readTree(r.body()).get("predictions")));
        }
        return out;
    }

    /** POSTs one predict request. */
    public HttpResponse<byte[]> send(String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/v1/models/" + model + ":predict"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** GETs {@code /health} as JSON. */
    public JsonNode health() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return JSON.readTree(r.body());
    }

    /**
     * Runs the load: {@code concurrency} threads cycle through {@code inputs} for {@code warmup} (not counted), then
     * until {@code duration} has passed or {@code maxRequests} were answered, whichever comes first.
     */
    public Result run(List<Input> inputs, int concurrency, Duration warmup, Duration duration, long maxRequests)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        AtomicLong counted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> samples = Collections.synchronizedList(new ArrayList<>());
        double[] maxDiff = new double[concurrency];
        Thread[] threads = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                int next = id;
                while (true) {
                    long now = System.nanoTime();
                    if (now >= end || counted.get() >= maxRequests) {
                        break;
                    }
                    Input in = inputs.get(next++ % inputs.size());
                    long t0 = System.nanoTime();
                    String problem = null;
                    try {
                        HttpResponse<byte[]> r = send(in.contentType(), in.body());
                        if (r.statusCode() != 200) {
                            problem = "HTTP " + r.statusCode() + ": " + new String(r.body());
                        } else {
                            double d = diff(in.expected(), JSON.readTree(r.body()).get("predictions"));
                            if (d < 0) {
                                mismatches.incrementAndGet();
                                if (samples.size() < 5) {
                                    samples.add("mismatch: " + new String(r.body()));
                                }
                            } else {
                                maxDiff[id] = Math.max(maxDiff[id], d);
                            }
                        }
                    } catch (IOException e) {
                        problem = e.toString();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom && t1 <= end) {
                        counted.incrementAndGet();
                        if (problem != null) {
                            errors.incrementAndGet();
                            if (samples.size() < 5) {
                                samples.add(problem);
                            }
                        }
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = t1 - t0;
                    } else if (problem != null) {
                        errors.incrementAndGet(); // warm-up failures count too: zero errors means zero
                        if (samples.size() < 5) {
                            samples.add(problem);
                        }
                    }
                }
                latencies.add(Arrays.copyOf(lat, n));
            }, "load-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double seconds = Math.min(System.nanoTime(), end) - measureFrom;
        seconds = Math.max(seconds, 1) / 1e9;
        double max = Arrays.stream(maxDiff).max().orElse(0);
        return new Result(concurrency, all.length, errors.get(), mismatches.get(), seconds, all.length / seconds,
                percentile(all, 0.50), percentile(all, 0.99), max, List.copyOf(samples), all);
    }

    /** Nearest-rank percentile in milliseconds. */
    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }

    /**
     * The largest logit difference between two prediction lists, or -1 when they disagree: other classes (beyond a
     * swap of two classes whose logits tie within tolerance), other lengths, logits beyond tolerance.
     */
    static double diff(JsonNode expected, JsonNode got) {
        if (got == null || !got.isArray() || got.size() != expected.size()) {
            return -1;
        }
        double max = 0;
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i);
            JsonNode g = got.get(i);
            if (g.size() != e.size()) {
                return -1;
            }
            for (int j = 0; j < e.size(); j++) {
                double el = e.get(j).get("logit").asDouble();
                double gl = g.get(j).get("logit").asDouble();
                double d = Math.abs(el - gl);
                if (d > LOGIT_TOLERANCE * Math.max(1, Math.abs(el))) {
                    return -1;
                }
                boolean sameClass = e.get(j).get("index").asInt() == g.get(j).get("index").asInt();
                if (!sameClass && !tieSwap(e, g, j)) {
                    return -1;
                }
                max = Math.max(max, d);
            }
        }
        return max;
    }

    /** Class at j in {@code got} is a class expected at a neighbouring position with an equal (within tolerance) logit. */
    private static boolean tieSwap(JsonNode e, JsonNode g, int j) {
        int cls = g.get(j).get("index").asInt();
        for (int k = Math.max(0, j - 1); k <= Math.min(e.size() - 1, j + 1); k++) {
            if (e.get(k).get("index").asInt() == cls && Math.abs(e.get(k).get("logit").asDouble()
                    - g.get(j).get("logit").asDouble()) <= LOGIT_TOLERANCE * Math.max(1, Math.abs(e.get(k)
                    .get("logit").asDouble()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Load against a running service: {@code --url http://127.0.0.1:8080 --model NAME --body FILE --content-type
     * TYPE [--concurrency 16] [--seconds 10] [--max-requests N]}.
     */
    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        String model = null;
        Path body = null;
        String type = "application/octet-stream";
        int concurrency = 16;
        int seconds = 10;
        long maxRequests = Long.MAX_VALUE;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--model" -> model = args[i + 1];
                case "--body" -> body = Path.of(args[i + 1]);
                case "--content-type" -> type = args[i + 1];
                case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--max-requests" -> maxRequests = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (model == null || body == null) {
            System.err.println("usage: LoadGenerator --url http://127.0.0.1:PORT --model NAME --body FILE "
                    + "[--content-type TYPE] [--concurrency N] [--seconds N] [--max-requests N]");
            System.exit(2);
        }
        LoadGenerator g = new LoadGenerator(URI.create(url), model);
        List<Input> inputs = g.withReferences(type, List.of(Files.readAllBytes(body)));
        Result r = g.run(inputs, concurrency, Duration.ofSeconds(1), Duration.ofSeconds(seconds), maxRequests);
        System.out.println(r);
        r.errorSamples().forEach(s -> System.out.println("  " + s));
        System.exit(r.errors() == 0 && r.mismatches() == 0 ? 0 : 1);
    }
}
