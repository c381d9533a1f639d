package dev.vitrt.models.weights;

import java.io.IOException;

/** A checkpoint's pickle names a Python global that loading weights has no need for; nothing was run. */
public final class UnsafeCheckpointException extends IOException {
    public UnsafeCheckpointException(String message) {
        super(message);
    }
}
