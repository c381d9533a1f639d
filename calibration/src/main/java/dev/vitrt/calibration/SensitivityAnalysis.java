package dev.vitrt.calibration;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.vitrt.calibration.data.CalibrationData;
import dev.vitrt.calibration.qdq.NodeFilter;
import dev.vitrt.calibration.qdq.QdqInserter;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.calibration.qdq.QdqPlan;
import dev.vitrt.calibration.qdq.QdqPlanner;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.io.TemporaryFiles;
import dev.vitrt.runtime.profile.BlockTags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per-block sensitivity to INT8: for each block, a graph where only that block is quantized (same scales), compared
 * with FP32 on held-out inputs. The blocks that hurt most are the ones to keep in float with {@code --exclude}.
 */
public final class SensitivityAnalysis {
    /** The FP32/INT8 agreement when only {@code block} is quantized. */
    public record BlockError(String block, double minCosine, double meanCosine, double maxAbsDiff) {
        /** {@code block  cosine 0.99876  max abs diff 0.0123}, the block padded to 40 characters. */
        public String describe() {
            return String.format(Locale.ROOT, "%-40s cosine %.5f  max abs diff %.4g", block, minCosine, maxAbsDiff);
        }
    }

    private SensitivityAnalysis() {
    }

    /**
     * Runs the analysis, worst block first.
     *
     * @param fp32Backend the FP32 model, already open
     * @param options the layout options (their exclusions are kept: excluded nodes stay float in every run)
     */
    public static List<BlockError> run(ModelProto fp32, Backend fp32Backend, Map<String, Float> scales,
                                       QdqOptions options, CalibrationData heldOut, int samples,
                                       BackendOptions backendOptions, Progress progress)
            throws IOException, BackendException {
        List<String> blocks = blocks(fp32);
        List<BlockError> out = new ArrayList<>();
        int done = 0;
        progress.update("sensitivity", 0, blocks.size());
        for (String block : blocks) {
            NodeFilter only = NodeFilter.allBut(block);
            // the user's own exclusions still apply
            QdqPlan plan = QdqPlanner.plan(fp32, options.withExclude(new CombinedFilter(options.exclude(), only)));
            if (plan.activations().isEmpty() && plan.weights().isEmpty()) {
                progress.update("sensitivity", ++done, blocks.size());
                continue;
            }
            ModelProto q = QdqInserter.insert(fp32, plan, scales);
            Path tmp = TemporaryFiles.createFile("vitrt-sensitivity-", ".onnx");
            try {
                Files.write(tmp, q.toByteArray());
                try (Backend b = OnnxRuntimeBackend.open(tmp, backendOptions)) {
                    QuantizationReport r = QuantizationReport.compare(fp32Backend, b, heldOut, samples);
                    out.add(new BlockError(block, r.minCosine(), r.meanCosine(), r.maxAbsDiff()));
                }
            } finally {
                TemporaryFiles.delete(tmp);
            }
            progress.update("sensitivity", ++done, blocks.size());
        }
        out.sort(Comparator.comparingDouble(BlockError::minCosine));
        return out;
    }

    /**
     * The model's blocks: the keys of the {@code vitrt.blocks} metadata when present, else module paths cut after
     * their last index among the first four parts ({@code stages.0.blocks.1}, {@code stages.2.1}, {@code stem.0},
     * {@code head}).
     */
    public static List<String> blocks(ModelProto m) {
        BlockTags tags = OnnxModels.metadata(m).blockTags();
        if (!tags.isEmpty()) {
            return new ArrayList<>(tags.blocks().keySet());
        }
        Set<String> out = new LinkedHashSet<>();
        for (NodeProto n : m.getGraph().getNodeList()) {
            String path = NodeFilter.modulePath(n.getName());
            if (path.isEmpty()) {
                continue;
            }
            String[] parts = path.split("\\.");
            int cut = 1;
            for (int i = 0; i < Math.min(4, parts.length); i++) {
                if (parts[i].chars().allMatch(Character::isDigit)) {
                    cut = i + 1;
                }
            }
            out.add(String.join(".", java.util.Arrays.copyOf(parts, cut)));
        }
        return new ArrayList<>(out);
    }

    /** Excludes what either filter excludes. */
    private static final class CombinedFilter extends NodeFilter {
        private final NodeFilter a;
        private final NodeFilter b;

        CombinedFilter(NodeFilter a, NodeFilter b) {
            super(List.of());
            this.a = a;
            this.b = b;
        }

        @Override
        public boolean isEmpty() {
            return a.isEmpty() && b.isEmpty();
        }

        @Override
        public boolean excludes(String nodeName) {
            return a.excludes(nodeName) || b.excludes(nodeName);
        }
    }
}
