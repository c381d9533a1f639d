package dev.vitrt.engine.trt;

import dev.vitrt.engine.int8.Int8Calibration;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ModelSource;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.runtime.Progress;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The CPU half of an engine build, without TensorRT: a zoo model name or ONNX file resolved to a graph (a zoo model
 * exported at the size, or dynamic size range, the build options give) and that graph ready for TensorRT.
 *
 * @param source the ONNX file given, or the export of a zoo model
 * @param graph  the graph with precision applied (FP16 lowering, or a TensorRT Q/DQ graph)
 */
public record PreparedModel(Path source, PreparedGraph graph) {

    /**
     * Resolves {@code model} (exporting a zoo model with {@code export}, its size taken from {@code options}) into a
     * file {@code temporary} makes, then prepares the graph: FP16 lowering, or the TensorRT Q/DQ graph converted from
     * the ONNX Runtime layout or calibrated on {@code calibration} (may be null).
     */
    public static PreparedModel prepare(String model, ExportOptions export, BuildOptions options,
            Int8Calibration calibration, ModelSource.TemporaryFile temporary, Progress progress) throws IOException {
        Path onnx = ModelSource.resolve(model, exportAt(export, options.sizes()), temporary);
        return new PreparedModel(onnx, PreparedGraph.prepare(onnx, options, calibration, progress));
    }

    /** {@code export} at the profile's optimal size, with dynamic H, W when the profile is a range. */
    static ExportOptions exportAt(ExportOptions export, SizeRange sizes) {
        return export.withInputSize(sizes == null ? InputSize.DEFAULT : sizes.opt())
                .withDynamicSize(sizes != null && !sizes.isFixed());
    }
}
