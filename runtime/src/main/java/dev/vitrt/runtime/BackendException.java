package dev.vitrt.runtime;

/** A backend could not load or run a model; the message is one line naming the model file or tensor at fault. */
public class BackendException extends Exception {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
