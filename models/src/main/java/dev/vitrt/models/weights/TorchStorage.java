package dev.vitrt.models.weights;

import java.nio.ByteBuffer;

/**
 * One storage of a PyTorch checkpoint: {@code numel} elements of {@code dtype} in zip entry {@code entry}, mapped
 * from the file (the bytes are not copied into the heap).
 */
record TorchStorage(String key, TorchDType dtype, long numel, String entry, ByteBuffer bytes) {
    long byteSize() {
        return bytes.capacity();
    }
}
