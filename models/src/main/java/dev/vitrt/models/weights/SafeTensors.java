package dev.vitrt.models.weights;

import dev.vitrt.runtime.ElementType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.models.onnx.Float16;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads safetensors checkpoints (8-byte little-endian header length, JSON header, raw little-endian data).
 * F32, F16, BF16 and F64 tensors are loaded as float32; integer and boolean tensors ({@code num_batches_tracked}) are
 * not loaded but listed by dtype, so that a weight stored as one is reported as such, not as missing.
 *
 * <p>The header is checked as the format's reference implementation checks it before any byte is trusted: every
 * {@code data_offsets} pair is two whole numbers {@code 0 <= begin <= end}, the tensors tile the data section exactly
 * (sorted by offset, each begins where the previous ended: no overlap, no hole, the last ends at the end of the file),
 * and each tensor's byte size is its shape's element count times its dtype's width. Without that, negative or
 * overlapping offsets loaded header bytes or another tensor's bytes as weights.
 */
public final class SafeTensors {
    private static final long MAX_HEADER = 100L << 20;
    /** safetensors' dtype names (the format's spec) and the element types they store. */
    private static final Map<String, ElementType> DTYPES = Map.ofEntries(
            Map.entry("BOOL", ElementType.BOOL), Map.entry("U8", ElementType.UINT8), Map.entry("I8", ElementType.INT8),
            Map.entry("F8_E5M2", ElementType.FLOAT8_E5M2), Map.entry("F8_E4M3", ElementType.FLOAT8_E4M3FN),
            Map.entry("I16", ElementType.INT16), Map.entry("U16", ElementType.UINT16),
            Map.entry("F16", ElementType.FLOAT16), Map.entry("BF16", ElementType.BFLOAT16),
            Map.entry("I32", ElementType.INT32), Map.entry("U32", ElementType.UINT32),
            Map.entry("F32", ElementType.FLOAT32), Map.entry("F64", ElementType.FLOAT64),
            Map.entry("I64", ElementType.INT64), Map.entry("U64", ElementType.UINT64));
    /** The element types loaded (as float32). */
    public static final Set<ElementType> LOADED = Set.of(ElementType.FLOAT32, ElementType.FLOAT16,
            ElementType.BFLOAT16, ElementType.FLOAT64);

    private SafeTensors() {
    }

    public static StateDict read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        String what = file.getFileName().toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException("not a safetensors checkpoint (too short): " + file);
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 1 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw new IOException("not a safetensors checkpoint (bad header length " + headerLen + "): " + file);
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = new ObjectMapper().readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException("not a safetensors checkpoint (header is not JSON): " + file);
            }
            if (header == null || !header.isObject()) {
                throw new IOException("not a safetensors checkpoint (header is not a JSON object): " + file);
            }
            long dataStart = 8 + headerLen;
            List<Slot> slots = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("__metadata__")) {
                    slots.add(slot(file, e.getKey(), e.getValue()));
                }
            }
            checkTiling(file, slots, size - dataStart);
            StateDict dict = new StateDict(what);
            for (Slot s : slots) {
                readTensor(ch, dataStart, s, dict);
            }
            return dict;
        }
    }

    /** One header entry, checked on its own: dtype, shape, offsets and their agreement. */
    private record Slot(String key, ElementType type, long[] shape, long numel, long begin,
                        long end) {
    }

    private static Slot slot(Path file, String key, JsonNode info) throws IOException {
        String dtype = info.path("dtype").asText("");
        JsonNode shapeNode = info.path("shape");
        JsonNode offsets = info.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException("safetensors header entry '" + key + "' is malformed in " + file);
        }
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.asLong() < 0) {
                throw new IOException("tensor '" + key + "' has a bad shape " + shapeNode + " in " + file);
            }
            shape[i] = d.asLong();
            try {
                numel = Math.multiplyExact(numel, shape[i]);
            } catch (ArithmeticException e) {
                throw new IOException("tensor '" + key + "' has an impossible shape " + shapeNode + " in " + file);
            }
        }
        for (JsonNode o : offsets) {
            if (!o.canConvertToExactIntegral() || !o.canConvertToLong() || o.asLong() < 0) {
                throw new IOException("tensor '" + key + "' has bad data_offsets " + offsets + " in " + file
                        + " (two whole numbers, 0 or more, expected)");
            }
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin > end) {
            throw new IOException("tensor '" + key + "' has data_offsets " + offsets + " that end before they begin"
                    + " in " + file);
        }
        ElementType type = DTYPES.get(dtype);
        if (type == null) {
            throw new IOException("tensor '" + key + "' has unknown dtype '" + dtype + "' in " + file);
        }
        int width = type.bytes();
        if (numel > Long.MAX_VALUE / width || end - begin != numel * width) {
            throw new IOException("tensor '" + key + "' has " + (end - begin) + " bytes in " + file + ", expected "
                    + (numel > Long.MAX_VALUE / width ? "more" : Long.toString(numel * width)) + " for " + dtype + " "
                    + Arrays.toString(shape));
        }
        return new Slot(key, type, shape, numel, begin, end);
    }

    /** The tensors must tile the data section: no overlap, no hole, nothing past its end. */
    private static void checkTiling(Path file, List<Slot> slots, long dataBytes) throws IOException {
        List<Slot> sorted = new ArrayList<>(slots);
        sorted.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long at = 0;
        for (Slot s : sorted) {
            if (s.begin() < at) {
                throw new IOException("tensor '" + s.key() + "' overlaps another tensor's bytes in " + file
                        + " (data_offsets [" + s.begin() + ", " + s.end() + "))");
            }
            if (s.begin() > at) {
                throw new IOException("tensor '" + s.key() + "' leaves a gap of " + (s.begin() - at) + " bytes before"
                        + " it in " + file + "; the data section must be indexed entirely");
            }
            if (s.end() > dataBytes) {
                throw new IOException("truncated checkpoint: tensor '" + s.key() + "' ends at data byte " + s.end()
                        + " but " + file.getFileName() + " holds " + dataBytes + " bytes of data");
            }
            at = s.end();
        }
        if (at < dataBytes) {
            throw new IOException("checkpoint " + file.getFileName() + " has " + (dataBytes - at) + " bytes of data"
                    + " no tensor claims; is it a safetensors file?");
        }
    }

    private static void readTensor(FileChannel ch, long dataStart, Slot s, StateDict dict) throws IOException {
        if (!LOADED.contains(s.type())) {
            dict.skip(s.key(), s.type()); // integer buffers (num_batches_tracked) carry nothing the graph needs
            return;
        }
        if (s.numel() > Integer.MAX_VALUE - 8) {
            throw new IOException("tensor '" + s.key() + "' has " + s.numel() + " values, more than VitRT loads");
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(s.end() - s.begin())).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + s.begin());
        buf.flip();
        float[] data = new float[(int) s.numel()];
        switch (s.type()) {
            case FLOAT32 -> buf.asFloatBuffer().get(data);
            case FLOAT64 -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) buf.getDouble();
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = Float16.toFloat(buf.getShort());
                }
            }
            default -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = Float16.bf16ToFloat(buf.getShort());
                }
            }
        }
        dict.put(s.key(), s.shape(), data);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }
}
