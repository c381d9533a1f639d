package dev.vitrt.models.weights;

/** A checkpoint holds NaN or infinite values where weights were expected; the message names the tensor. */
public final class NonFiniteWeightsException extends IllegalArgumentException {
    public NonFiniteWeightsException(String message) {
        super(message);
    }
}
