package dev.vitrt.models.zoo;

import java.util.function.Supplier;

/**
 * A named model of the zoo. {@code family} groups entries ("nextvit", "mobilevitv2", "resnet", or an ablation
 * family); {@code description} says what a variant changes; {@code classifier} is the module path of the final
 * linear layer (timm's pretrained-config name for it, e.g. {@code head.fc}); {@code tag} is the pretrained tag whose
 * settings ({@code inputSize}, {@code preprocessing}, {@code numClasses}) the entry carries, or null for the bare name.
 */
public record ZooEntry(String name, String family, int inputSize, int numClasses, Preprocessing preprocessing,
                       String description, Supplier<ModelDefinition> definition, String classifier, String tag) {

    /** An entry whose classifier is timm's usual {@code head.fc}, without a tag. */
    public ZooEntry(String name, String family, int inputSize, int numClasses, Preprocessing preprocessing,
                    String description, Supplier<ModelDefinition> definition) {
        this(name, family, inputSize, numClasses, preprocessing, description, definition, "head.fc", null);
    }

    /** The name with its tag, as timm writes it: {@code nextvit_small.bd_in1k_384}. */
    public String fullName() {
        return tag == null ? name : name + "." + tag;
    }

    /** This model with the settings of one of its pretrained tags. */
    public ZooEntry withTag(PretrainedTag t) {
        if (!t.model().equals(name)) {
            throw new IllegalArgumentException("tag " + t.name() + " is not a tag of " + name);
        }
        return new ZooEntry(name, family, t.inputSize(), t.numClasses(), t.preprocessing(), description, definition,
                classifier, t.tag());
    }
}
