package dev.vitrt.models.zoo;

/**
 * A model name or pretrained tag the zoo does not have. Its own type so that a caller can tell a mistyped name (a
 * user's mistake: the command line treats it as a usage error) from a failure while building a model it knows.
 */
public final class UnknownModelException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownModelException(String message) {
        super(message);
    }
}
