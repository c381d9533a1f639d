package dev.vitrt.examples.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the service runs. Every option is a command-line flag ({@code --max-batch 16}) whose default can also be set
 * as a system property ({@code -Dvitrt.service.max-batch=16}); flags win.
 *
 * @param models       served models: name in the URL -> model file (.onnx, or .plan with its manifest)
 * @param host         address to bind; loopback by default
 * @param port         port to bind; 0 picks a free one
 * @param batching     whether requests are grouped by the runtime's dynamic batcher
 * @param maxBatch     most images in one batched run
 * @param maxWait      longest a request waits for others to join its batch
 * @param workers      model instances: batcher threads with batching, concurrent runs without
 * @param httpThreads  threads handling HTTP exchanges (they block while their request is inferred)
 * @param intraOpThreads ONNX Runtime threads per run (0: its default)
 * @param backend      {@code auto}, {@code onnxruntime} or {@code tensorrt}
 * @param topK         default number of classes returned
 * @param drain        how long shutdown waits for in-flight requests
 * @param labels       class-name files (one name per line) by model name, for models whose graph names none
 * @param limits       what one client, or all of them together, may hold of the service
 */
public record ServiceOptions(Map<String, Path> models, String host, int port, boolean batching, int maxBatch,
                             Duration maxWait, int workers, int httpThreads, int intraOpThreads, String backend,
                             int topK, Duration drain, Map<String, Path> labels, Limits limits) {

    static final String PREFIX = "vitrt.service.";
    /** Largest request body accepted. */
    static final int MAX_BODY = 64 << 20;
    /** Most images in one .npy request. */
    static final int MAX_NPY_BATCH = 64;
    /** Most classes a request may ask for. */
    static final int MAX_TOP_K = 1000;

    /**
     * How much of the service a client, or all clients together, may hold, so that slow, large or many requests
     * degrade into refusals (4xx, or 503 with {@code Retry-After}) instead of taking the service down.
     *
     * @param readTimeout     longest a client may take to send one request's headers and body (and to read an answer)
     * @param requestTimeout  longest a request may take from arrival to answer; past it the answer is 503
     * @param maxQueue        most requests waiting for a model at once, per model; more get 503
     * @param maxPixels       largest image (width x height, read from its header before decoding); larger gets 413
     * @param maxInflightBytes request bodies, decoded images and tensors held at once, all requests together
     * @param maxConnections  most open connections; more are closed on arrival
     */
    public record Limits(Duration readTimeout, Duration requestTimeout, int maxQueue, long maxPixels,
                         long maxInflightBytes, int maxConnections) {
        public Limits {
            if (readTimeout.toSeconds() < 1 || requestTimeout.toSeconds() < 1) {
                throw new IllegalArgumentException("--read-timeout-s and --request-timeout-s must be >= 1");
            }
            positive("--max-queue", maxQueue);
            positive("--max-connections", maxConnections);
            if (maxPixels < 1) {
                throw new IllegalArgumentException("--max-pixels must be >= 1, got " + maxPixels);
            }
            if (maxInflightBytes < (1 << 20)) {
                throw new IllegalArgumentException("--max-inflight-mb must be >= 1");
            }
        }

        /** The defaults: 10 s to send, 30 s to answer, 256 queued, 16.7 MP, half the heap up to 1 GiB, 1024. */
        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(10), Duration.ofSeconds(30), 256, 4096L * 4096,
                    defaultInflightBytes(), 1024);
        }

        /** Half the JVM's heap limit, at most 1 GiB, at least 64 MiB. */
        static long defaultInflightBytes() {
            return Math.max(64L << 20, Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 2));
        }
    }

    public ServiceOptions {
        models = Map.copyOf(new LinkedHashMap<>(models));
        labels = Map.copyOf(labels);
        for (String name : labels.keySet()) {
            if (!models.containsKey(name)) {
                throw new IllegalArgumentException("--labels " + name + "=... names no served model (served: "
                        + models.keySet() + ")");
            }
        }
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to serve: give --model NAME=FILE.onnx");
        }
        for (String name : models.keySet()) {
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("--model name '" + name + "' may only hold letters, digits, '_', '.', '-'");
            }
        }
        positive("--max-batch", maxBatch);
        positive("--workers", workers);
        positive("--http-threads", httpThreads);
        positive("--top-k", topK);
        if (topK > MAX_TOP_K) {
            throw new IllegalArgumentException("--top-k must be at most " + MAX_TOP_K + ", got " + topK);
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0-65535, got " + port);
        }
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0, got " + intraOpThreads);
        }
        if (maxWait.isNegative() || drain.isNegative()) {
            throw new IllegalArgumentException("--max-wait-us and --drain-s must be >= 0");
        }
    }

    private static void positive(String flag, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(flag + " must be >= 1, got " + v);
        }
    }

    /** The same options with batching on or off (the load test compares the two). */
    public ServiceOptions withBatching(boolean on) {
        return new ServiceOptions(models, host, port, on, maxBatch, maxWait, workers, httpThreads, intraOpThreads,
                backend, topK, drain, labels, limits);
    }

    /** Usage text for {@code --help}. */
    static String usage() {
        return String.join("\n",
                "usage: run --model NAME=FILE.onnx [--model NAME2=FILE2.plan ...] [options]",
                "Serves POST /v1/models/NAME:predict (image/jpeg, image/png, application/octet-stream float32 LE,",
                "application/x-npy; ?top_k=N) and GET /health on the JDK's HTTP server.",
                "  --host ADDR            bind address (default 127.0.0.1)",
                "  --port N               port, 0 = any free one (default 8080)",
                "  --max-batch N          most images per batched run (default 16)",
                "  --max-wait-us N        longest a request waits for its batch to fill, microseconds (default 2000)",
                "  --workers N            model instances: batcher threads, or concurrent runs without batching (default 1)",
                "  --no-batching          run every request on its own (up to --workers at once)",
                "  --http-threads N       HTTP threads; each holds one connection while it is read and answered (default",
                "                         256; model work is bounded apart by --max-queue, so /health stays answered)",
                "  --threads N            ONNX Runtime intra-op threads per run (default: its own)",
                "  --backend KIND         auto, onnxruntime or tensorrt (default auto)",
                "  --top-k N              classes returned when the request does not say (default 5)",
                "  --labels NAME=FILE     class names of model NAME, one per line (default: the graph's, or ImageNet-1k's",
                "                         for 1000 classes)",
                "  --drain-s N            how long shutdown waits for in-flight requests (default 30)",
                "Limits (a request past one gets a 4xx, or 503 with Retry-After when the service is full; never nothing):",
                "  --read-timeout-s N     most seconds a client may take to send a request, or to read an answer (10)",
                "  --request-timeout-s N  most seconds from a request's arrival to its answer (30)",
                "  --max-queue N          most requests waiting per model (256)",
                "  --max-pixels N         largest image, width x height, read from its header before decoding (16777216)",
                "  --max-inflight-mb N    request bodies, decoded images and tensors held at once (half the heap, <= 1024)",
                "  --max-connections N    most open connections (1024)",
                "  body at most " + (MAX_BODY >> 20) + " MiB; .npy batch at most " + MAX_NPY_BATCH + " images; top_k 1 to "
                        + MAX_TOP_K + ".",
                "The read timeout and the connection limit are the JDK HTTP server's and apply to the whole JVM.",
                "Each flag's default may be set as a system property, e.g. -Dvitrt.service.max-batch=32.");
    }

    /** Parses flags over system-property defaults; throws one clear line on a bad flag. */
    public static ServiceOptions parse(String[] args) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String key : new String[] {"host", "port", "max-batch", "max-wait-us", "workers", "http-threads",
                "threads", "backend", "top-k", "drain-s", "batching", "model", "read-timeout-s", "request-timeout-s",
                "max-queue", "max-pixels", "max-inflight-mb", "max-connections"}) {
            String p = System.getProperty(PREFIX + key);
            if (p != null) {
                v.put(key, p);
            }
        }
        Map<String, Path> models = new LinkedHashMap<>();
        Map<String, Path> labels = new LinkedHashMap<>();
        if (v.containsKey("model")) { // -Dvitrt.service.model=a=x.onnx,b=y.onnx
            for (String m : v.get("model").split(",")) {
                addModel(models, m, "--model");
            }
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-batching")) {
                v.put("batching", "false");
                continue;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (see --help)");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq > 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value (see --help)");
                }
                value = args[++i];
            }
            if (key.equals("model")) {
                addModel(models, value, "--model");
            } else if (key.equals("labels")) {
                addModel(labels, value, "--labels");
            } else if (java.util.Set.of("host", "port", "max-batch", "max-wait-us", "workers", "http-threads", "threads",
                    "backend", "top-k", "drain-s", "read-timeout-s", "request-timeout-s", "max-queue", "max-pixels",
                    "max-inflight-mb", "max-connections").contains(key)) {
                v.put(key, value);
            } else {
                throw new IllegalArgumentException("unknown option --" + key + " (see --help)");
            }
        }
        Limits d = Limits.defaults();
        Limits limits = new Limits(Duration.ofSeconds(integer(v, "read-timeout-s", (int) d.readTimeout().toSeconds())),
                Duration.ofSeconds(integer(v, "request-timeout-s", (int) d.requestTimeout().toSeconds())),
                integer(v, "max-queue", d.maxQueue()), integer(v, "max-pixels", (int) d.maxPixels()),
                v.containsKey("max-inflight-mb") ? (long) integer(v, "max-inflight-mb", 0) << 20 : d.maxInflightBytes(),
                integer(v, "max-connections", d.maxConnections()));
        return new ServiceOptions(models, v.getOrDefault("host", "127.0.0.1"), integer(v, "port", 8080),
                Boolean.parseBoolean(v.getOrDefault("batching", "true")), integer(v, "max-batch", 16),
                Duration.ofNanos(integer(v, "max-wait-us", 2000) * 1000L), integer(v, "workers", 1),
                integer(v, "http-threads", 256), integer(v, "threads", 0), v.getOrDefault("backend", "auto"),
                integer(v, "top-k", 5), Duration.ofSeconds(integer(v, "drain-s", 30)), labels, limits);
    }

    private static void addModel(Map<String, Path> files, String spec, String flag) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException(flag + " '" + spec + "' must be NAME=FILE (e.g. mobilevit=mobilevit.onnx)");
        }
        String name = spec.substring(0, eq).trim();
        if (files.put(name, Path.of(spec.substring(eq + 1).trim())) != null) {
            throw new IllegalArgumentException(flag + " " + name + " is given twice");
        }
    }

    private static int integer(Map<String, String> v, String key, int dflt) {
        String s = v.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a whole number, got '" + s + "'");
        }
    }
}
