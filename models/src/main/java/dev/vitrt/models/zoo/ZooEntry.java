package dev.vitrt.models.zoo;

import java.util.function.Supplier;

/**
 * A named model of the zoo. {@code family} groups entries ("nextvit", "mobilevitv2", "resnet", or an ablation
 * family); {@code description} says what a variant changes.
 */
public record ZooEntry(String name, String family, int inputSize, int numClasses, Preprocessing preprocessing,
                       String description, Supplier<ModelDefinition> definition) {
}
