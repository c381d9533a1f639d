package dev.vitrt.bench;

import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.bench.Inputs;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.session.InferenceSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Throughput of one {@link InferenceSession} against client threads and dynamic batch size: each client thread sends
 * single-image requests back to back for a fixed time; images/s is completed requests over wall time.
 *
 * <p>Usage: {@code SessionThroughputBench MODEL.onnx [SIZE=224] [SECONDS_PER_POINT=3] [THREADS=1,4,16]
 * [MAX_BATCH=0,4,8,16] [INTRA_OP_THREADS=0]} (max batch 0 = no batching).
 */
public final class SessionThroughputBench {
    private SessionThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SessionThroughputBench MODEL.onnx [SIZE] [SECONDS] [THREADS,..] [MAX_BATCH,..]"
                    + " [INTRA_OP_THREADS]");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 224;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        int[] threads = ints(args.length > 3 ? args[3] : "1,4,16");
        int[] batches = ints(args.length > 4 ? args[4] : "0,4,8,16");
        int intra = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        System.out.printf(Locale.ROOT, "%s, %dx%d, %s intra-op threads, %.1f s per point, %d cores%n",
                model.getFileName(), size, size, intra == 0 ? "default" : Integer.toString(intra), seconds,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-10s", "threads");
        for (int b : batches) {
            System.out.printf(Locale.ROOT, "%14s", b == 0 ? "no batching" : "max batch " + b);
        }
        System.out.println("   (images/s)");
        for (int t : threads) {
            System.out.printf(Locale.ROOT, "%-10d", t);
            for (int b : batches) {
                InferenceSession.Batching batching = b == 0 ? null
                        : new InferenceSession.Batching(b, Duration.ofMillis(2), 1);
                try (InferenceSession s = InferenceSession.open(
                        OnnxRuntimeBackend.open(model, BackendOptions.defaults().withIntraOpThreads(intra)), batching)) {
                    FloatTensor x = Inputs.random(s.backend().singleInput(), 1, size, 1);
                    for (int i = 0; i < 3; i++) {
                        s.infer(x);
                    }
                    System.out.printf(Locale.ROOT, "%14.1f", measure(s, x, t, seconds));
                }
            }
            System.out.println();
        }
    }

    private static double measure(InferenceSession s, FloatTensor x, int threads, double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] end = new long[1];
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    int n = 0;
                    while (System.nanoTime() < end[0]) {
                        s.infer(x);
                        n++;
                    }
                    return n;
                }));
            }
            long t0 = System.nanoTime();
            end[0] = t0 + (long) (seconds * 1e9);
            go.countDown();
            int total = 0;
            for (Future<Integer> f : fs) {
                total += f.get();
            }
            return total / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] ints(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToInt(v -> Integer.parseInt(v.trim())).toArray();
    }
}
