package dev.vitrt.runtime.ort;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The probe that measures what ONNX Runtime's profiler adds to each node's reported kernel time.
 *
 * <p>ORT's {@code _kernel_time} event does not time the kernel alone: between its start and end timestamps the
 * profiler also formats every input's and output's type and shape into strings and collects the thread pool's
 * statistics (session_scope.cc, {@code KernelScopeImpl}). That cost is per node, not per unit of work, so it weighs
 * most on graphs of many small nodes (MobileViTv2: hundreds of nodes of a few microseconds each). The probe is a chain
 * of {@link #NODES} Adds of a one-element tensor and a constant, whose own compute is a few nanoseconds: run in a
 * profiled session with the model's options, each of its kernel times is the profiler's per-node cost, measured on
 * the same machine, at the same time, as the model's layers.
 */
final class ProfilerProbe {
    static final int NODES = 64;
    /** Node names of the probe: {@code vitrt.profiler_probe/Add_i}. */
    static final String PREFIX = "vitrt.profiler_probe/";

    private ProfilerProbe() {
    }

    /** The probe graph as ONNX bytes (opset 13, input {@code x0} and output {@code xN}, float [1]). */
    static byte[] model() {
        Proto graph = new Proto();
        for (int i = 0; i < NODES; i++) {
            graph.message(1, new Proto().string(1, "x" + i).string(1, "c").string(2, "x" + (i + 1))
                    .string(3, PREFIX + "Add_" + i).string(4, "Add"));
        }
        graph.string(2, "vitrt_profiler_probe");
        byte[] one = {0, 0, (byte) 0x80, 0x3f}; // 1.0f little-endian
        graph.message(5, new Proto().varint(1, 1).varint(2, 1).string(8, "c").bytes(9, one));
        graph.message(11, valueInfo("x0"));
        graph.message(12, valueInfo("x" + NODES));
        return new Proto().varint(1, 8).message(7, graph).message(8, new Proto().string(1, "").varint(2, 13))
                .toBytes();
    }

    /** float tensor of shape [1]. */
    private static Proto valueInfo(String name) {
        Proto shape = new Proto().message(1, new Proto().varint(1, 1));
        Proto tensor = new Proto().varint(1, 1).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** Just enough of the protobuf wire format to write the probe: varints and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            raw((long) field << 3);
            raw(v);
            return this;
        }

        Proto bytes(int field, byte[] b) {
            raw((long) field << 3 | 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.toBytes());
        }

        byte[] toBytes() {
            return out.toByteArray();
        }

        private void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) (v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
