package dev.vitrt.tensorrt;

import java.io.IOException;

/** TensorRT or CUDA failed at something it was asked to do; the message says what, with TensorRT's own error. */
public class TensorRtException extends IOException {
    private static final long serialVersionUID = 1L;

    public TensorRtException(String message) {
        super(message);
    }
}
