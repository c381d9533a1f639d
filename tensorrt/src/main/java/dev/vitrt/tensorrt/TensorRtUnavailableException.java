package dev.vitrt.tensorrt;

/** TensorRT cannot run here; the message says what is missing and how to get it, in one line. */
public class TensorRtUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public TensorRtUnavailableException(String message) {
        super(message);
    }
}
