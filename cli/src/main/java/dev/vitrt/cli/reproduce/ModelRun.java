package dev.vitrt.cli.reproduce;

/**
 * One model to measure in a table: a zoo entry exported at an input size and batch.
 *
 * @param zooName   the zoo entry
 * @param label     how the table names the row (e.g. {@code Next-ViT-S})
 * @param inputSize image side in pixels
 * @param batch     images per run
 * @param profile   whether to also profile layers (to split the latency into block types and parts)
 */
public record ModelRun(String zooName, String label, int inputSize, int batch, boolean profile) {
    public ModelRun {
        if (inputSize < 1 || batch < 1) {
            throw new IllegalArgumentException(zooName + ": input size and batch must be >= 1");
        }
    }

    /** A short key naming the run (zoo name, and the size and batch when several runs share a model). */
    public String key() {
        return zooName + "@" + inputSize + "x" + batch;
    }
}
