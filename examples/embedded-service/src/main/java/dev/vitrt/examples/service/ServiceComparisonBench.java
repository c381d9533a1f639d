package dev.vitrt.examples.service;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two running services compared under the same load, on loopback: A (say, a build before a change) and B (after),
 * serving the same model with the same options. The same random float32 inputs go to both from closed-loop clients;
 * the measured time at each concurrency is split into rounds alternating between A and B (A first in even rounds, B
 * in odd ones), so that whatever else the machine does falls on both alike; the per-round throughputs give the spread.
 * Every answer of both is checked against A's single-request answer.
 *
 * <pre>
 * java -cp ... dev.vitrt.examples.service.ServiceComparisonBench --a http://127.0.0.1:8081 --b http://127.0.0.1:8082 \
 *     --model m [--concurrency 1,8,32] [--seconds 20] [--rounds 6] [--warmup-s 3] [--inputs 8]
 * </pre>
 * Exits 1 when any request failed or any answer differed.
 */
public final class ServiceComparisonBench {
    private ServiceComparisonBench() {
    }

    /** One service at one concurrency: the pooled result and each round's throughput. */
    record Side(LoadGenerator.Result result, double[] roundRps) {
        String spread() {
            double[] s = roundRps.clone();
            Arrays.sort(s);
            return String.format(Locale.ROOT, "%.1f-%.1f", s[0], s[s.length - 1]);
        }
    }

    public static void main(String[] args) throws Exception {
        String a = null;
        String b = null;
        String model = null;
        int[] conc = {1, 8, 32};
        int seconds = 20;
        int rounds = 6;
        int warmupS = 3;
        int inputs = 8;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--a" -> a = v;
                case "--b" -> b = v;
                case "--model" -> model = v;
                case "--concurrency" -> conc = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--warmup-s" -> warmupS = Integer.parseInt(v);
                case "--inputs" -> inputs = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (a == null || b == null || model == null || rounds < 1) {
            System.err.println("usage: ServiceComparisonBench --a URL --b URL --model NAME [--concurrency 1,8,32]"
                    + " [--seconds N] [--rounds N] [--warmup-s N] [--inputs N]");
            System.exit(2);
        }
        LoadGenerator ga = new LoadGenerator(URI.create(a), model);
        LoadGenerator gb = new LoadGenerator(URI.create(b), model);
        String item = ga.health().get("models").get(model).get("input").asText();
        long[] shape = itemShape(item);
        List<LoadGenerator.Input> refs = ga.withReferences("application/octet-stream",
                BatchingBench.randomTensors(shape, inputs, 42));
        System.err.printf(Locale.ROOT, "A %s, B %s, model %s (input %s), %d s per service and concurrency in %d"
                + " alternating rounds after %d s warm-up, %d cores%n", a, b, model, item, seconds, rounds, warmupS,
                Runtime.getRuntime().availableProcessors());
        StringBuilder t = new StringBuilder("| concurrency | service | requests | req/s | req/s per round | p50 ms"
                + " | p99 ms | errors | mismatches |\n| ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
        List<String> ratios = new ArrayList<>();
        boolean clean = true;
        Duration slice = Duration.ofSeconds(seconds).dividedBy(rounds);
        for (int c : conc) {
            List<LoadGenerator.Result> pa = new ArrayList<>();
            List<LoadGenerator.Result> pb = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                Duration w = r == 0 ? Duration.ofSeconds(warmupS) : Duration.ofMillis(300);
                for (int k = 0; k < 2; k++) {
                    boolean isA = (k == 0) == (r % 2 == 0);
                    (isA ? pa : pb).add((isA ? ga : gb).run(refs, c, w, slice, Long.MAX_VALUE));
                }
            }
            Side sa = side(pa);
            Side sb = side(pb);
            for (String name : List.of("A", "B")) {
                Side s = name.equals("A") ? sa : sb;
                LoadGenerator.Result x = s.result();
                t.append(String.format(Locale.ROOT, "| %d | %s | %d | %.1f | %s | %.2f | %.2f | %d | %d |%n", c, name,
                        x.requests(), x.requestsPerSecond(), s.spread(), x.p50Ms(), x.p99Ms(), x.errors(),
                        x.mismatches()));
                clean &= x.errors() == 0 && x.mismatches() == 0;
                x.errorSamples().stream().limit(3).forEach(System.err::println);
            }
            ratios.add(String.format(Locale.ROOT, "concurrency %d: B/A throughput %.3f, B/A p99 %.3f", c,
                    sb.result().requestsPerSecond() / sa.result().requestsPerSecond(),
                    sb.result().p99Ms() / sa.result().p99Ms()));
        }
        System.out.print(t);
        ratios.forEach(System.out::println);
        System.exit(clean ? 0 : 1);
    }

    private static Side side(List<LoadGenerator.Result> parts) {
        return new Side(LoadGenerator.Result.merge(parts),
                parts.stream().mapToDouble(LoadGenerator.Result::requestsPerSecond).toArray());
    }

    /** The item shape from {@code /health}'s input description, e.g. {@code input [dtype=float32, shape=(batch, 3, 256, 256)]}. */
    static long[] itemShape(String input) {
        String dims = input.substring(input.indexOf('(') + 1, input.indexOf(')'));
        String[] d = dims.split(",");
        long[] out = new long[d.length - 1];
        for (int i = 1; i < d.length; i++) {
            out[i - 1] = Long.parseLong(d[i].trim());
        }
        return out;
    }
}
