package dev.vitrt.examples.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.classify.Classification;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP inference service on the JDK's own HTTP server, embedding the VitRT runtime through its public API:
 *
 * <ul>
 *   <li>{@code POST /v1/models/NAME:predict}: body {@code image/jpeg} or {@code image/png} (preprocessed with the
 *       model's timm eval transform), {@code application/octet-stream} (float32 little-endian, exactly one input's
 *       size) or {@code application/x-npy} (float32, one item or [n, ...]); {@code ?top_k=N}. Answers
 *       {@code {"model": NAME, "predictions": [[{"index", "name", "logit", "probability"}, ...], ...]}}, one list per image.</li>
 *   <li>{@code GET /health}: {@code {"status": "ok", "models": {...}}} with per-model request and batch counts;
 *       503 {@code "draining"} during shutdown.</li>
 * </ul>
 * Bad requests get a 4xx and {@code {"error": "...", "status": N}}; the service keeps serving. Every request gets an
 * answer, also when a handler fails. Shutdown refuses new work, waits for the requests in flight, then closes the
 * sessions.
 *
 * <p>What a client may hold is bounded ({@link ServiceOptions.Limits}): a connection that sends its request slowly is
 * closed after the read timeout; HTTP threads only read and answer, while model work is bounded apart (a queue per
 * model, answering 503 with {@code Retry-After} when full, and a deadline per request), so {@code /health} stays
 * answered under load; images are refused by pixel count before they are decoded, and the bytes all requests hold
 * at once are bounded by a {@link MemoryBudget}.
 */
public final class EmbeddedService implements AutoCloseable {
    /** Largest request body accepted. */
    static final int MAX_BODY = ServiceOptions.MAX_BODY;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREDICT_PREFIX = "/v1/models/";
    private static final String PREDICT_SUFFIX = ":predict";

    private final ServiceOptions options;
    private final Map<String, ServedModel> models;
    private final HttpServer server;
    private final ExecutorService executor;
    private final MemoryBudget budget;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private volatile boolean draining;
    private volatile boolean closed;

    private EmbeddedService(ServiceOptions options, Map<String, ServedModel> models, HttpServer server,
                            ExecutorService executor) {
        this.options = options;
        this.models = models;
        this.server = server;
        this.executor = executor;
        this.budget = new MemoryBudget(options.limits().maxInflightBytes());
    }

    /** Loads every model, then binds and starts serving. */
    public static EmbeddedService start(ServiceOptions options) throws IOException, BackendException {
        // the JDK server writes headers and body separately: without TCP_NODELAY small responses wait on Nagle
        System.setProperty("sun.net.httpserver.nodelay", "true");
        applyServerLimits(options.limits());
        Map<String, ServedModel> models = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> m : options.models().entrySet()) {
                models.put(m.getKey(), ServedModel.open(m.getKey(), m.getValue(), options));
            }
            HttpServer server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 256);
            AtomicInteger ids = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(options.httpThreads(), r -> {
                Thread t = new Thread(r, "vitrt-http-" + ids.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            EmbeddedService s = new EmbeddedService(options, models, server, executor);
            server.createContext("/", s::handle);
            server.setExecutor(executor);
            server.start();
            return s;
        } catch (IOException | BackendException | RuntimeException e) {
            models.values().forEach(ServedModel::close);
            throw e;
        }
    }

    /**
     * The JDK HTTP server's own limits, read once per JVM when the first server is created: a request (headers and
     * body) must arrive within the read timeout and an answer be taken within it, else the connection is closed; the
     * number of connections is capped. Values set by the user as system properties win.
     */
    private static void applyServerLimits(ServiceOptions.Limits limits) {
        String seconds = Long.toString(limits.readTimeout().toSeconds());
        setIfAbsent("sun.net.httpserver.maxReqTime", seconds);
        setIfAbsent("sun.net.httpserver.maxRspTime", seconds);
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(limits.maxConnections()));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The address the service listens on (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8080}. */
    public URI baseUri() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    /** One line per model: name, file, backend, batching. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (ServedModel m : models.values()) {
            Map<String, Object> s = m.stats();
            out.add(m.name + ": " + s.get("file") + " (" + s.get("input") + ") on " + s.get("backend") + ", "
                    + s.get("batching"));
        }
        return out;
    }

    /** The item shape (input without the batch dimension) of a served model. */
    long[] itemShape(String model) {
        ServedModel m = models.get(model);
        if (m == null) {
            throw new IllegalArgumentException("unknown model '" + model + "'");
        }
        return m.itemShape();
    }

    /** Requests answered so far (any status). */
    public int served() {
        return served.get();
    }

    private void handle(HttpExchange ex) {
        inFlight.incrementAndGet();
        try {
            int status;
            Object body;
            boolean retry = false;
            try {
                if (draining) {
                    ex.getResponseHeaders().set("Connection", "close");
                    throw HttpError.busy("service is shutting down");
                }
                body = route(ex);
                status = 200;
            } catch (HttpError e) {
                status = e.status;
                retry = e.retry;
                body = error(e.status, e.getMessage());
            } catch (RejectedExecutionException e) {
                status = 503;
                retry = true;
                body = error(503, "the model's queue is full (" + e.getMessage() + "); retry shortly");
            } catch (TimeoutException e) {
                status = 503;
                retry = true;
                body = error(503, "no answer within the request timeout of "
                        + options.limits().requestTimeout().toSeconds() + " s (" + e.getMessage() + "); retry later");
            } catch (BackendException e) {
                status = 500;
                body = error(500, "inference failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 503;
                body = error(503, "interrupted");
            } catch (OutOfMemoryError e) {
                status = 503;
                retry = true;
                body = error(503, "out of memory; retry later");
            } catch (RuntimeException | Error e) {
                boolean closing = closed && (e instanceof IllegalStateException); // a session closed under it
                status = closing ? 503 : 500;
                body = error(status, closing ? "service is shutting down" : "internal error: " + e);
            }
            if (retry) {
                ex.getResponseHeaders().set("Retry-After", Integer.toString(HttpError.RETRY_AFTER_SECONDS));
            }
            respond(ex, status, body);
        } finally {
            served.incrementAndGet();
            inFlight.decrementAndGet();
        }
    }

    private Object route(HttpExchange ex) throws HttpError, BackendException, InterruptedException, TimeoutException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/health")) {
            requireMethod(ex, "GET");
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("status", "ok");
            Map<String, Object> ms = new LinkedHashMap<>();
            models.forEach((n, m) -> ms.put(n, m.stats()));
            h.put("models", ms);
            h.put("inflight_mb", Math.round(budget.heldBytes() / 1048576.0 * 10) / 10.0);
            h.put("limits", limits());
            return h;
        }
        if (path.startsWith(PREDICT_PREFIX) && path.endsWith(PREDICT_SUFFIX)) {
            requireMethod(ex, "POST");
            String name = path.substring(PREDICT_PREFIX.length(), path.length() - PREDICT_SUFFIX.length());
            ServedModel model = models.get(name);
            if (model == null) {
                throw new HttpError(404, "unknown model '" + name + "'; served: " + models.keySet());
            }
            int k = topK(ex.getRequestURI().getRawQuery());
            String type = RequestBodies.mediaType(ex.getRequestHeaders().getFirst("Content-Type"));
            long deadline = System.nanoTime() + options.limits().requestTimeout().toNanos();
            List<List<Classification>> predictions;
            try (MemoryBudget.Share share = budget.open()) {
                FloatTensor x = readAndDecode(ex, type, model, share, deadline);
                predictions = model.predict(x, k, deadline);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", name);
            List<List<Map<String, Object>>> preds = new ArrayList<>();
            for (List<Classification> img : predictions) {
                List<Map<String, Object>> l = new ArrayList<>();
                for (Classification e : img) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("index", e.index());
                    c.put("name", e.name());
                    c.put("logit", e.logit());
                    c.put("probability", e.probability());
                    l.add(c);
                }
                preds.add(l);
            }
            out.put("predictions", preds);
            return out;
        }
        throw new HttpError(404, "no such endpoint: " + method + " " + path
                + " (POST /v1/models/NAME:predict, GET /health)");
    }

    private static void requireMethod(HttpExchange ex, String method) throws HttpError {
        if (!ex.getRequestMethod().equals(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new HttpError(405, ex.getRequestMethod() + " not allowed on " + ex.getRequestURI().getPath()
                    + "; use " + method);
        }
    }

    private int topK(String query) throws HttpError {
        int k = options.topK();
        if (query == null) {
            return k;
        }
        for (String p : query.split("&")) {
            if (p.startsWith("top_k=")) {
                try {
                    k = Integer.parseInt(p.substring(6));
                } catch (NumberFormatException e) {
                    k = -1;
                }
                if (k < 1 || k > ServiceOptions.MAX_TOP_K) {
                    throw new HttpError(400, "top_k must be a whole number from 1 to " + ServiceOptions.MAX_TOP_K
                            + ", got '" + p.substring(6) + "'");
                }
            }
        }
        return k;
    }

    /** The request's input tensor; the body's bytes are given back to the budget once decoded (garbage by then). */
    private FloatTensor readAndDecode(HttpExchange ex, String type, ServedModel model, MemoryBudget.Share share,
                                      long deadline) throws HttpError, InterruptedException {
        byte[] body = readBody(ex, share, deadline);
        FloatTensor x = RequestBodies.decode(type, body, model, new RequestBodies.Allowance(
                options.limits().maxPixels(), share, deadline));
        share.give(body.length);
        return x;
    }

    /**
     * Reads the body after taking its size from the memory budget: its Content-Length, or the most a body may be when
     * it comes chunked (given back, but for what arrived, once read).
     */
    private static byte[] readBody(HttpExchange ex, MemoryBudget.Share share, long deadline)
            throws HttpError, InterruptedException {
        String len = ex.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        if (len != null) {
            try {
                declared = Long.parseLong(len.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad Content-Length '" + len + "'");
            }
            if (declared > MAX_BODY) {
                throw new HttpError(413, "body of " + declared + " bytes is over the limit of " + MAX_BODY);
            }
        }
        long reserved = declared >= 0 ? declared : MAX_BODY;
        share.take(reserved, "the request body", deadline);
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new HttpError(413, "body is over the limit of " + MAX_BODY + " bytes");
            }
            share.give(Math.max(0, reserved - b.length));
            return b;
        } catch (IOException e) {
            // includes a client too slow to send its body within the read timeout: the server closed it
            throw new HttpError(400, "cannot read the request body: " + e.getMessage());
        }
    }

    /** The limits in force, for {@code /health}. */
    private Map<String, Object> limits() {
        ServiceOptions.Limits l = options.limits();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read_timeout_s", Long.getLong("sun.net.httpserver.maxReqTime", l.readTimeout().toSeconds()));
        m.put("request_timeout_s", l.requestTimeout().toSeconds());
        m.put("max_queue", l.maxQueue());
        m.put("max_pixels", l.maxPixels());
        m.put("max_inflight_mb", budget.bytes() >> 20);
        m.put("max_body_mb", MAX_BODY >> 20);
        m.put("max_connections", Integer.getInteger("jdk.httpserver.maxConnections", l.maxConnections()));
        m.put("http_threads", options.httpThreads());
        return m;
    }

    private static Map<String, Object> error(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("status", status);
        return m;
    }

    private static void respond(HttpExchange ex, int status, Object body) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(body);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        } catch (IOException e) {
            // the client went away; nothing left to tell it
        } finally {
            ex.close();
        }
    }

    /**
     * Graceful shutdown: new requests are refused (the listening socket closes, requests on open connections get
     * 503), requests in flight finish and are answered, then every session closes (its batcher, then its backend).
     * Waits at most the configured drain time for the requests in flight. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        long deadline = System.nanoTime() + options.drain().toNanos();
        // HttpServer.stop closes the listener at once, then waits for open exchanges; on JDK 17 it waits out the
        // whole delay when none is open, so it runs aside and this thread watches the requests itself
        Thread stopper = new Thread(() -> server.stop((int) Math.max(1, options.drain().toSeconds())),
                "vitrt-http-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            // stop() returns once the server has seen the last exchange end (when any was open at the start)
            stopper.join(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdown();
        try {
            executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        models.values().forEach(ServedModel::close);
    }

    /** Starts the service from command-line flags and serves until the process is stopped (Ctrl-C, SIGTERM). */
    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(ServiceOptions.usage());
            return;
        }
        ServiceOptions options;
        EmbeddedService s;
        try {
            options = ServiceOptions.parse(args);
            s = start(options);
        } catch (IllegalArgumentException | IOException | BackendException e) {
            System.err.println("embedded-service: error: " + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse(""));
            System.exit(2);
            return;
        }
        for (String line : s.describe()) {
            System.err.println(line);
        }
        System.err.println("serving on " + s.baseUri() + " (POST /v1/models/NAME:predict, GET /health); Ctrl-C stops");
        // Drain on SIGINT/SIGTERM before the JVM starts shutting down: ONNX Runtime frees its native environment in
        // a shutdown hook of its own, which would pull it from under a batch still running in another hook.
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        for (String signal : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> stop.countDown());
            } catch (IllegalArgumentException e) { // e.g. SIGINT ignored in a background job: SIGTERM still works
                System.err.println("note: SIG" + signal + " cannot be handled here (" + e.getMessage() + ")");
            }
        }
        stop.await();
        System.err.println("shutting down: finishing requests in flight...");
        s.close();
        System.err.println("stopped after " + s.served() + " requests");
        System.exit(0);
    }
}
