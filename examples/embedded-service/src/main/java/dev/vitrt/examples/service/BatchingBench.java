package dev.vitrt.examples.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrt.runtime.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Throughput and latency of the service with the runtime's dynamic batching off and on, on loopback: starts the
 * service in this process for each mode, sends the same random float32 inputs from closed-loop clients at each
 * concurrency, checks every answer against the single-request answer, and prints one table.
 *
 * <pre>
 * java -cp ... dev.vitrt.examples.service.BatchingBench --model mvit=mobilevitv2_050.onnx \
 *     [--concurrency 1,8,32] [--seconds 10] [--rounds 4] [--warmup-s 2] [--inputs 8] [--max-requests N]
 *     [service flags: --max-batch, --max-wait-us, --workers, --threads, ...]
 * </pre>
 * Exits 1 when any request failed or any answer differed.
 */
public final class BatchingBench {

    /** One row of the table. */
    public record Row(String mode, LoadGenerator.Result result, double meanBatch) {
    }

    private BatchingBench() {
    }

    /**
     * Runs both modes at every concurrency. Both services run side by side (one idles while the other is loaded) and
     * the measured time is split into {@code rounds} short runs alternating between them, so that drift in what else
     * the machine is doing falls on both alike. The service options' own batching flag is ignored.
     */
    public static List<Row> run(ServiceOptions service, String model, int[] concurrencies, Duration warmup,
                                Duration duration, long maxRequests, int inputs, long seed, int rounds)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        try (EmbeddedService off = EmbeddedService.start(service.withBatching(false));
             EmbeddedService on = EmbeddedService.start(service.withBatching(true))) {
            LoadGenerator gOff = new LoadGenerator(off.baseUri(), model);
            LoadGenerator gOn = new LoadGenerator(on.baseUri(), model);
            // single requests on the unbatched service are the reference for both modes
            List<LoadGenerator.Input> refs = gOff.withReferences("application/octet-stream",
                    randomTensors(off.itemShape(model), inputs, seed));
            Duration slice = duration.dividedBy(rounds);
            for (int c : concurrencies) {
                List<LoadGenerator.Result> offParts = new ArrayList<>();
                List<LoadGenerator.Result> onParts = new ArrayList<>();
                long[] offCounts = new long[2];
                long[] onCounts = new long[2];
                for (int r = 0; r < rounds; r++) {
                    Duration w = r == 0 ? warmup : Duration.ofMillis(200);
                    long perRun = Math.max(1, maxRequests / rounds);
                    boolean offFirst = r % 2 == 0;
                    for (int k = 0; k < 2; k++) {
                        boolean isOff = (k == 0) == offFirst;
                        LoadGenerator g = isOff ? gOff : gOn;
                        long[] counts = isOff ? offCounts : onCounts;
                        JsonNode before = g.health().get("models").get(model);
                        (isOff ? offParts : onParts).add(g.run(refs, c, w, slice, perRun));
                        JsonNode after = g.health().get("models").get(model);
                        counts[0] += after.get("images").asLong() - before.get("images").asLong();
                        counts[1] += after.get("runs").asLong() - before.get("runs").asLong();
                    }
                }
                rows.add(new Row("no batching", LoadGenerator.Result.merge(offParts), mean(offCounts)));
                rows.add(new Row("batching", LoadGenerator.Result.merge(onParts), mean(onCounts)));
            }
        }
        return rows;
    }

    private static double mean(long[] imagesRuns) {
        return imagesRuns[1] == 0 ? 0 : (double) imagesRuns[0] / imagesRuns[1];
    }

    /** {@code n} float32 little-endian tensors of this item shape, standard normal. */
    static List<byte[]> randomTensors(long[] item, int n, long seed) {
        int count = Math.toIntExact(FloatTensor.elementCount(item));
        Random rnd = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < count; j++) {
                b.putFloat((float) rnd.nextGaussian());
            }
            out.add(b.array());
        }
        return out;
    }

    /** The rows as a Markdown table, with the speed-up of batching at each concurrency. */
    public static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder(
                "| mode | concurrency | requests | req/s | p50 ms | p99 ms | mean batch | errors | mismatches |\n"
                        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            LoadGenerator.Result x = r.result();
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.2f | %.2f | %.2f | %d | %d |%n", r.mode(),
                    x.concurrency(), x.requests(), x.requestsPerSecond(), x.p50Ms(), x.p99Ms(), r.meanBatch(),
                    x.errors(), x.mismatches()));
        }
        for (Row on : rows) {
            if (!on.mode().equals("batching")) {
                continue;
            }
            for (Row off : rows) {
                if (off.mode().equals("no batching") && off.result().concurrency() == on.result().concurrency()) {
                    s.append(String.format(Locale.ROOT, "concurrency %d: batching %.2fx the throughput%n",
                            on.result().concurrency(), on.result().requestsPerSecond()
                                    / off.result().requestsPerSecond()));
                }
            }
        }
        return s.toString();
    }

    public static void main(String[] args) throws Exception {
        int[] conc = {1, 8, 32};
        int seconds = 10;
        int warmupS = 2;
        int inputs = 8;
        int rounds = 4;
        long maxRequests = Long.MAX_VALUE;
        List<String> service = new ArrayList<>(List.of("--port", "0"));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--concurrency" -> conc = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--warmup-s" -> warmupS = Integer.parseInt(v);
                case "--inputs" -> inputs = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--max-requests" -> maxRequests = Long.parseLong(v);
                default -> {
                    service.add(a);
                    continue;
                }
            }
            i++;
        }
        ServiceOptions o = ServiceOptions.parse(service.toArray(String[]::new));
        if (o.models().size() != 1) {
            throw new IllegalArgumentException("give exactly one --model NAME=FILE");
        }
        String model = o.models().keySet().iterator().next();
        System.err.printf(Locale.ROOT, "model %s (%s), %d s per mode and concurrency (%d alternating rounds) after"
                        + " %d s warm-up, max batch %d, max wait %d us, "
                        + "%d worker(s), %d HTTP threads, %d cores%n", model, o.models().get(model).getFileName(),
                seconds, rounds, warmupS, o.maxBatch(), o.maxWait().toNanos() / 1000, o.workers(), o.httpThreads(),
                Runtime.getRuntime().availableProcessors());
        List<Row> rows = run(o, model, conc, Duration.ofSeconds(warmupS), Duration.ofSeconds(seconds), maxRequests,
                inputs, 42, rounds);
        System.out.print(table(rows));
        boolean clean = rows.stream().allMatch(r -> r.result().errors() == 0 && r.result().mismatches() == 0);
        rows.stream().flatMap(r -> r.result().errorSamples().stream()).limit(5).forEach(System.err::println);
        System.exit(clean ? 0 : 1);
    }
}
