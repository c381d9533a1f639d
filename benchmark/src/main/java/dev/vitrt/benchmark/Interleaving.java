package dev.vitrt.benchmark;

/**
 * The order in which variants take their turns in interleaved rounds, so that drifts in machine load fall on all of
 * them alike: the order rotates each other round and reverses every other round (with two variants A B, B A, A B,
 * ...; with three A B C, C B A, B C A, A C B, ...), so no variant always runs first or right after the same one.
 */
public final class Interleaving {
    private Interleaving() {
    }

    /** Which of {@code n} variants runs {@code k}-th in round {@code round}. */
    public static int order(int round, int k, int n) {
        int rotated = (k + round / 2) % n;
        return round % 2 == 0 ? rotated : n - 1 - rotated;
    }
}
