package dev.vitrt.benchmark;

import java.util.Map;

/**
 * The papers' own figures, keyed by the zoo name of the model they describe, each with where it was read and on what
 * hardware it was measured. Only figures found in the papers (or the authors' README restating them) are here; a
 * figure we could not find is absent, and the tables leave its cell empty and say so.
 */
public final class PaperFigures {

    /**
     * A model's figures from a paper; null fields were not given (or not found).
     *
     * @param paperName   the model's name in the paper
     * @param paramsM     parameters, millions
     * @param gmacs       the paper's "FLOPs" (multiply-adds), billions
     * @param gpuMs       GPU latency (Next-ViT: TensorRT, {@link #NEXTVIT_TENSORRT})
     * @param mobileMs    mobile latency ({@link #NEXTVIT_COREML} or {@link #MOBILEVITV2_MOBILE})
     * @param throughput  GPU throughput, images/s ({@link #MOBILEVITV2_THROUGHPUT})
     */
    public record Figures(String paperName, Double paramsM, Double gmacs, Double gpuMs, Double mobileMs,
                          Double throughput) {
    }

    public static final String NEXTVIT_SOURCE = "Next-ViT (Li et al., arXiv 2207.05501): the figures of its ImageNet "
            + "table as the authors' README (github.com/bytedance/Next-ViT) restates them";
    public static final String NEXTVIT_TENSORRT = "TensorRT 8.0.3.4, FP16, batch 8, 224x224 (the authors' export "
            + "script); GPU: NVIDIA T4, as third-party summaries of the paper report it (the README does not name it)";
    public static final String NEXTVIT_COREML = "CoreML on an iPhone 12 Pro Max (iOS 16.0, Xcode 14.0), batch 1";
    public static final String MOBILEVITV2_SOURCE = "MobileViTv2 (Mehta and Rastegari, arXiv 2206.02680): Table 2 "
            + "(params, FLOPs, latency, throughput) and Table 6 (params and FLOPs of the widths Table 2 leaves out)";
    public static final String MOBILEVITV2_MOBILE = "iPhone 12, batch 1";
    public static final String MOBILEVITV2_THROUGHPUT = "NVIDIA V100, batch 128";
    public static final String MOBILEVITV2_TABLE1 = "MobileViTv2 paper Table 1: MobileViT (v1) with each attention "
            + "unit, similar parameters and FLOPs, latency on an iPhone 12";

    private static final Map<String, Figures> MODELS = Map.ofEntries(
            Map.entry("nextvit_small", new Figures("Next-ViT-S", 31.7, 5.8, 7.7, 3.5, null)),
            Map.entry("nextvit_base", new Figures("Next-ViT-B", 44.8, 8.3, 10.5, 4.5, null)),
            Map.entry("nextvit_large", new Figures("Next-ViT-L", 57.8, 10.8, 13.0, 5.5, null)),
            Map.entry("mobilevitv2_050", new Figures("MobileViTv2-0.5", 1.4, 0.5, null, 1.6, 4595.0)),
            Map.entry("mobilevitv2_075", new Figures("MobileViTv2-0.75", 2.9, 1.0, null, null, null)),
            Map.entry("mobilevitv2_100", new Figures("MobileViTv2-1.0", 4.9, 1.8, null, 3.4, 2351.0)),
            Map.entry("mobilevitv2_125", new Figures("MobileViTv2-1.25", 7.5, 2.8, null, null, null)),
            Map.entry("mobilevitv2_150", new Figures("MobileViTv2-1.5", 10.6, 4.0, null, 5.1, 1418.0)),
            Map.entry("mobilevitv2_175", new Figures("MobileViTv2-1.75", 14.3, 5.5, null, null, null)),
            // Table 2 gives 7.5 GFLOPs, Table 6 7.2 for the same model; we show Table 2's
            Map.entry("mobilevitv2_200", new Figures("MobileViTv2-2.0", 18.5, 7.5, null, 7.5, 1105.0)));

    /** MobileViTv2 paper, Table 1 (iPhone 12 latency, ms), by attention: separable, mha, linformer. */
    private static final Map<String, Double> ATTENTION_MS = Map.of("separable", 3.4, "mha", 9.9, "linformer", 10.2);

    /**
     * A backbone's downstream figures from the Next-ViT paper's COCO and ADE20K tables (as the authors' README
     * restates them); null fields were not given.
     *
     * @param gpuMs          TensorRT latency, the same figure in all three tables (the backbone's)
     * @param mobileMs       CoreML latency, likewise
     * @param maskRcnnParamsM Mask R-CNN 1x: whole-detector parameters (M)
     * @param maskRcnnGflops  its FLOPs (G), at 800x1280
     * @param boxMap          its COCO bbox mAP (1x)
     * @param maskMap         its COCO mask mAP (1x)
     * @param fpnGflops       Semantic FPN 80k: FLOPs (G), at 512x2048
     * @param fpnMiou         its ADE20K mIoU
     * @param upernetGflops   UperNet 160k: FLOPs (G), at 512x2048
     * @param upernetMiou     its ADE20K mIoU (single scale)
     */
    public record Downstream(String paperName, Double gpuMs, Double mobileMs, Double maskRcnnParamsM,
                             Double maskRcnnGflops, Double boxMap, Double maskMap, Double fpnGflops, Double fpnMiou,
                             Double upernetGflops, Double upernetMiou) {
    }

    public static final String NEXTVIT_DOWNSTREAM_SOURCE = "Next-ViT (Li et al., arXiv 2207.05501): its COCO Mask "
            + "R-CNN (1x) and ADE20K Semantic FPN (80k) and UperNet (160k) tables for ImageNet-1K pretraining, as the "
            + "authors' README (github.com/bytedance/Next-ViT) restates them; the FLOPs there are the whole "
            + "detector's or segmenter's, at 800x1280 (COCO) and 512x2048 (ADE20K), the defaults of the repository's "
            + "get_flops scripts";
    public static final String NEXTVIT_DOWNSTREAM_LATENCY = "the README gives one TensorRT and one CoreML latency per "
            + "backbone, the same in the Mask R-CNN, Semantic FPN and UperNet tables (38.2/51.6/65.3 ms TensorRT, "
            + "18.1/24.4/30.1 ms CoreML for S/B/L): the backbone's latency at one input size, which it does not state";

    private static final Map<String, Downstream> DOWNSTREAM = Map.of(
            "nextvit_small", new Downstream("Next-ViT-S", 38.2, 18.1, 51.8, 290.0, 45.9, 41.8, 208.0, 46.5, 968.0, 48.1),
            "nextvit_base", new Downstream("Next-ViT-B", 51.6, 24.4, 64.9, 340.0, 47.2, 42.8, 260.0, 48.6, 1020.0, 50.4),
            "nextvit_large", new Downstream("Next-ViT-L", 65.3, 30.1, 77.9, 391.0, 48.0, 43.2, 331.0, 49.1, 1072.0,
                    50.1));

    private PaperFigures() {
    }

    /** The Next-ViT paper's downstream figures for this backbone, or null when it gives none we could find. */
    public static Downstream downstream(String zooName) {
        return DOWNSTREAM.get(zooName);
    }

    /** The paper's figures for this zoo model, or null when the papers give none. */
    public static Figures of(String zooName) {
        return MODELS.get(zooName);
    }

    /** The paper's Table 1 latency for this attention ({@code separable}, {@code mha}, {@code linformer}), or null. */
    public static Double attentionMs(String attention) {
        return ATTENTION_MS.get(attention);
    }
}
