package dev.vitrt.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The method lines every table reports: machine, backend, precision, runs, spread, load. */
final class MethodNotes {
    private MethodNotes() {
    }

    static List<String> of(Bench.Result r, BenchSettings s, double loadBefore, double loadAfter) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "Measured here: %s; backend %s on %s, %s (%s).", Machine.cpu(), r.backend(),
                r.device(), r.precision(), r.choiceReason()));
        String budget = s.budget() == null ? "no time budget" : "time budget " + s.budget().toSeconds() + " s";
        out.add(String.format(Locale.ROOT, "Runs: %d warm-up run(s) per model, then %d interleaved round(s) (each round "
                + "runs every model once, a different model first each time; %s, at most %d round(s)%s); a row's latency "
                + "is the %s of its runs (%s), with the median and spread p10-p90 and min-max beside it. Whole measurement: "
                + "%.0f s.",
                s.warmup(), r.rounds(), budget, s.iterations(), r.stoppedByBudget() ? ", stopped by the budget" : "",
                s.estimator().label(), s.estimator() == Estimator.MIN ? "other processes only add time to a run, so "
                        + "on a shared machine the fastest run best estimates the model's own cost; --estimator median "
                        + "reports the typical run instead" : "the typical run under the load of the moment",
                r.seconds()));
        Measured worst = r.rows().stream().max(Comparator.comparingDouble(m -> m.latency().relativeSpreadPercent()))
                .orElse(null);
        double[] rel = r.rows().stream().mapToDouble(m -> m.latency().relativeSpreadPercent()).sorted().toArray();
        if (worst != null && rel.length > 0) {
            out.add(String.format(Locale.ROOT, "Spread seen: p10-p90 width %.0f%% of the median for the typical row, "
                    + "%.0f%% at worst (%s). Load average %s before, %s after (%d logical CPUs): %s", rel[rel.length / 2],
                    worst.latency().relativeSpreadPercent(), worst.run().label(), Machine.loadText(loadBefore),
                    Machine.loadText(loadAfter), Runtime.getRuntime().availableProcessors(),
                    loadBefore > Runtime.getRuntime().availableProcessors()
                            || loadAfter > Runtime.getRuntime().availableProcessors()
                            ? "the machine was shared with other work, so absolute times are inflated; the interleaving "
                                    + "keeps the rows comparable with each other."
                            : "the machine was not oversubscribed."));
        }
        double[] cpuRel = r.rows().stream().filter(m -> m.cpu() != null)
                .mapToDouble(m -> m.cpu().relativeSpreadPercent()).sorted().toArray();
        double[] waits = r.rows().stream().filter(m -> m.cpu() != null && m.cpuMs() > 0)
                .mapToDouble(m -> m.ms() / m.cpuMs()).sorted().toArray();
        if (cpuRel.length > 0) {
            out.add(String.format(Locale.ROOT, "CPU time (this process, all threads) per run is reported beside the "
                    + "wall time: other processes stretch the wall time much more than the CPU time. Its p10-p90 width was "
                    + "%.0f%% of the median for the typical row; wall time / CPU time was %.2f for the typical row "
                    + "(below 1: several threads at once; well above: time spent waiting for a core).",
                    cpuRel[cpuRel.length / 2], waits[waits.length / 2]));
        }
        return out;
    }
}
