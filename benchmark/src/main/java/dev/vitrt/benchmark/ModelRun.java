package dev.vitrt.benchmark;

import dev.vitrt.runtime.InputSize;

/**
 * One model to measure in a table: a zoo entry exported at an input size and batch, as a classifier or as the
 * backbone a detection or segmentation head reads.
 *
 * @param zooName  the zoo entry
 * @param label    how the table names the row (e.g. {@code Next-ViT-S})
 * @param size     input height and width in pixels
 * @param batch    images per run
 * @param profile  whether to also profile layers (to split the latency into block types and parts)
 * @param features export the backbone's feature maps (timm's features_only) instead of the classifier
 */
public record ModelRun(String zooName, String label, InputSize size, int batch, boolean profile, boolean features) {
    public ModelRun {
        if (size.isDefault() || batch < 1) {
            throw new IllegalArgumentException(zooName + ": input size and batch must be >= 1");
        }
    }

    /** A classifier at a square size. */
    public ModelRun(String zooName, String label, int inputSize, int batch, boolean profile) {
        this(zooName, label, InputSize.square(Math.max(inputSize, 0)), batch, profile, false);
    }

    /** The image side of a square run (its height otherwise). */
    public int inputSize() {
        return size.height();
    }

    /** A short key naming the run (zoo name, size and batch, as several runs may share a model). */
    public String key() {
        return zooName + (features ? "/features" : "") + "@" + size + "x" + batch;
    }
}
