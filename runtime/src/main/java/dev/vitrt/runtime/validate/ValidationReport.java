package dev.vitrt.runtime.validate;

import java.util.List;

/**
 * Accuracy of one model in one or more precisions on the same labelled images, side by side.
 *
 * @param model         the model's name (its {@code vitrt.model} metadata, else the file name)
 * @param data          where the images came from
 * @param preprocessing the eval transform, in words
 * @param listed        images listed for scoring (after any limit and hold-out)
 * @param unreadable    listed files that could not be decoded: not scored, named here
 * @param otherFiles    files in the class folders that are not images (ignored)
 * @param heldOut       how the INT8 calibration data was chosen, or null without INT8
 * @param batch         images per model run
 * @param workers       decoding threads
 * @param rows          one row per precision, the reference (FP32) first when it was run
 * @param throughput    where the time went
 */
public record ValidationReport(String model, String data, String preprocessing, int listed, List<Unreadable> unreadable,
                               int otherFiles, String heldOut, int batch, int workers, List<Row> rows,
                               Throughput throughput) {

    public ValidationReport {
        unreadable = List.copyOf(unreadable);
        rows = List.copyOf(rows);
    }

    /** Images decoded and scored (the same for every row). */
    public int scored() {
        return listed - unreadable.size();
    }

    /** This report with the calibration data described. */
    public ValidationReport withHeldOut(String description) {
        return new ValidationReport(model, data, preprocessing, listed, unreadable, otherFiles, description, batch,
                workers, rows, throughput);
    }

    /**
     * One precision's scores.
     *
     * @param precision       {@code fp32}, {@code fp16}, {@code int8} (or what the caller labels a model)
     * @param backend         the backend that ran it
     * @param device          where it ran
     * @param images          images scored
     * @param top1            top-1 accuracy, percent
     * @param top5            top-5 accuracy, percent
     * @param top1Agreement   percent of images whose top-1 equals the reference's; NaN for the reference itself or
     *                        when there is no reference
     * @param meanCosine      mean over images of the cosine between this row's logits and the reference's; NaN as above
     * @param imagesPerSecond the model's own throughput: images over the time spent in its runs
     */
    public record Row(String precision, String backend, String device, int images, double top1, double top5,
                      double top1Agreement, double meanCosine, double imagesPerSecond) {
    }

    /** A file that could not be decoded, and why. */
    public record Unreadable(String file, String reason) {
    }

    /**
     * Where the scoring time went.
     *
     * @param seconds                 wall time of the scoring loop
     * @param endToEndImagesPerSecond images scored per wall second, every precision included
     * @param decodeImagesPerSecond   what the decoding workers sustained while busy: images times workers over their
     *                                summed busy time (decode and preprocess alone, on this machine's load)
     * @param inputWaitShare          fraction of the wall time the models waited for decoded images (near 0: model-bound)
     */
    public record Throughput(double seconds, double endToEndImagesPerSecond, double decodeImagesPerSecond,
                             double inputWaitShare) {
    }
}
