package dev.vitrt.models.weights;

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
import java.util.Iterator;
import java.util.Map;

/**
 * Reads safetensors checkpoints (8-byte little-endian header length, JSON header, raw little-endian data).
 * F32, F16 and BF16 tensors are loaded as float32; integer tensors ({@code num_batches_tracked}) are skipped.
 */
public final class SafeTensors {
    private static final long MAX_HEADER = 100L << 20;

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
            StateDict dict = new StateDict(what);
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                readTensor(ch, file, size, dataStart, e.getKey(), e.getValue(), dict);
            }
            return dict;
        }
    }

    private static void readTensor(FileChannel ch, Path file, long size, long dataStart, String key, JsonNode info,
                                   StateDict dict) throws IOException {
        String dtype = info.path("dtype").asText("");
        JsonNode shapeNode = info.path("shape");
        JsonNode offsets = info.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException("safetensors header entry '" + key + "' is malformed in " + file);
        }
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            numel *= shape[i];
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (end > size - dataStart || begin > end) {
            throw new IOException("truncated checkpoint: tensor '" + key + "' ends at byte " + (dataStart + end)
                    + " but " + file.getFileName() + " has " + size + " bytes");
        }
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "I64", "I32", "I16", "I8", "U8", "BOOL", "F64" -> 0;
            default -> throw new IOException("tensor '" + key + "' has unsupported dtype " + dtype + " in " + file);
        };
        if (width == 0) {
            return; // integer buffers (num_batches_tracked) carry nothing the graph needs
        }
        if ((end - begin) != numel * width) {
            throw new IOException("tensor '" + key + "' has " + (end - begin) + " bytes, expected " + numel * width
                    + " for " + dtype + " " + java.util.Arrays.toString(shape));
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + begin);
        buf.flip();
        float[] data = new float[(int) numel];
        switch (dtype) {
            case "F32" -> buf.asFloatBuffer().get(data);
            case "F16" -> {
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
        dict.put(key, shape, data);
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
