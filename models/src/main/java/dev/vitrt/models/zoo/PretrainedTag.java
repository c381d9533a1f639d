package dev.vitrt.models.zoo;

/**
 * A pretrained tag as timm names it ({@code nextvit_small.bd_in1k_384}): the evaluation settings of those weights,
 * from timm's pretrained config. Where the config has a test size and crop ({@code test_input_size},
 * {@code test_crop_pct}) these are the ones kept, as timm's {@code validate.py} uses them by default.
 */
public record PretrainedTag(String model, String tag, int inputSize, Preprocessing preprocessing, int numClasses) {

    /** The full name, {@code model.tag}. */
    public String name() {
        return model + "." + tag;
    }

    /** The Hugging Face Hub repository timm publishes these weights in (its {@code hf_hub_id}). */
    public String hubRepository() {
        return "timm/" + name();
    }

    /** A tag with timm's ImageNet-1k head. */
    public static PretrainedTag of(String model, String tag, int inputSize, Preprocessing preprocessing) {
        return new PretrainedTag(model, tag, inputSize, preprocessing, 1000);
    }
}
