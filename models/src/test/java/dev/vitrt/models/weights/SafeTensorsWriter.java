package dev.vitrt.models.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: writes small safetensors files (F32, F16, BF16, F64, I64) the way the format specifies. */
public final class SafeTensorsWriter {
    private record T(String dtype, long[] shape, byte[] data) {
    }

    private final Map<String, T> tensors = new LinkedHashMap<>();

    public SafeTensorsWriter f32(String key, long[] shape, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        tensors.put(key, new T("F32", shape, b.array()));
        return this;
    }

    public SafeTensorsWriter f16(String key, long[] shape, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putShort(dev.vitrt.models.onnx.Float16.fromFloat(f));
        }
        tensors.put(key, new T("F16", shape, b.array()));
        return this;
    }

    public SafeTensorsWriter bf16(String key, long[] shape, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putShort((short) (Float.floatToRawIntBits(f) >>> 16));
        }
        tensors.put(key, new T("BF16", shape, b.array()));
        return this;
    }

    public SafeTensorsWriter i64(String key, long value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        tensors.put(key, new T("I64", new long[0], b.array()));
        return this;
    }

    public SafeTensorsWriter f64(String key, long[] shape, double[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        tensors.put(key, new T("F64", shape, b.array()));
        return this;
    }

    public SafeTensorsWriter i64s(String key, long[] shape, long[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        tensors.put(key, new T("I64", shape, b.array()));
        return this;
    }

    /** A file with exactly this JSON header and data section, for malformed headers. */
    public static byte[] raw(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data);
        return out.toByteArray();
    }

    public byte[] bytes() throws IOException {
        StringBuilder h = new StringBuilder("{");
        long off = 0;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, T> e : tensors.entrySet()) {
            T t = e.getValue();
            if (h.length() > 1) {
                h.append(',');
            }
            h.append('"').append(e.getKey()).append("\":{\"dtype\":\"").append(t.dtype).append("\",\"shape\":")
                    .append(java.util.Arrays.toString(t.shape).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(off).append(',').append(off + t.data.length).append("]}");
            off += t.data.length;
            data.write(t.data);
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        data.writeTo(out);
        return out.toByteArray();
    }

    public Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }
}
