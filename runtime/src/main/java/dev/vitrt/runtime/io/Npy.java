package dev.vitrt.runtime.io;

import dev.vitrt.runtime.FloatTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * NumPy {@code .npy} files of float32 in C order, the exchange format with Python tools (numpy's format spec,
 * versions 1.0 to 3.0). Anything else (another dtype, Fortran order, a corrupt header, a truncated body) is refused
 * with one line that names the file and what is wrong.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Map<String, String> DTYPE_NAMES = Map.ofEntries(
            Map.entry("f2", "float16"), Map.entry("f4", "float32"), Map.entry("f8", "float64"),
            Map.entry("i1", "int8"), Map.entry("i2", "int16"), Map.entry("i4", "int32"), Map.entry("i8", "int64"),
            Map.entry("u1", "uint8"), Map.entry("u2", "uint16"), Map.entry("u4", "uint32"), Map.entry("u8", "uint64"),
            Map.entry("b1", "bool"));

    /** What an .npy header declares. */
    public record Header(String descr, boolean fortranOrder, long[] shape, int dataOffset) {
    }

    private Npy() {
    }

    /** Reads a float32, C-order array. */
    public static FloatTensor read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readAllBytes();
        }
        Header h = parseHeader(file, bytes);
        String order = h.descr.substring(0, 1);
        String kind = h.descr.substring(1);
        if (!kind.equals("f4")) {
            String name = DTYPE_NAMES.getOrDefault(kind, h.descr);
            throw new IOException(file + ": dtype " + name + " ('" + h.descr + "') is not supported; expected float32"
                    + " (in numpy: x.astype(np.float32))");
        }
        if (h.fortranOrder) {
            throw new IOException(file + ": Fortran-ordered array; expected C order (in numpy: np.ascontiguousarray(x))");
        }
        long count = FloatTensor.elementCount(h.shape);
        long body = bytes.length - (long) h.dataOffset;
        if (body != count * 4) {
            throw new IOException(file + ": " + (body < count * 4 ? "truncated" : "corrupt") + " .npy: shape "
                    + FloatTensor.shapeString(h.shape) + " needs " + count * 4 + " data bytes, file has " + body);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": array of " + count + " values is too large");
        }
        float[] data = new float[(int) count];
        ByteOrder bo = order.equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer.wrap(bytes, h.dataOffset, (int) body).order(bo).asFloatBuffer().get(data);
        return new FloatTensor(h.shape, data);
    }

    /** Reads only the header of an .npy file (to check dtype and shape before loading). */
    public static Header readHeader(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(1 << 16);
        }
        return parseHeader(file, head);
    }

    /** Writes a float32, C-order, version 1.0 array, atomically. */
    public static void write(Path file, FloatTensor tensor) throws IOException {
        byte[] header = header(tensor.shape());
        float[] data = tensor.data();
        AtomicFiles.write(file, out -> {
            out.write(header);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(v);
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    /**
     * Where tensor {@code name} lives in a folder of tensors, one {@code NAME.npy} per tensor (how outputs and inputs
     * are saved for a later comparison, and how a Python tool can save its own: {@code np.save(f"{name}.npy", x)}).
     * Characters a file name should not hold ({@code / \\ :} and the like) become {@code _}.
     */
    public static Path fileFor(Path dir, String name) {
        String f = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return dir.resolve(f.isEmpty() || f.equals(".") || f.equals("..") ? "_" + f + ".npy" : f + ".npy");
    }

    /** Writes each tensor to {@link #fileFor its file} in {@code dir} (created if missing), atomically one by one. */
    public static void writeAll(Path dir, Map<String, FloatTensor> tensors) throws IOException {
        Map<Path, String> files = new HashMap<>();
        for (String name : tensors.keySet()) {
            String other = files.put(fileFor(dir, name), name);
            if (other != null) {
                throw new IllegalArgumentException("tensors '" + other + "' and '" + name + "' would both be saved as "
                        + fileFor(dir, name));
            }
        }
        Files.createDirectories(dir);
        for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
            write(fileFor(dir, e.getKey()), e.getValue());
        }
    }

    /**
     * Reads the tensors {@code names} from their {@link #fileFor files} in {@code dir}, in that order; a missing one
     * fails in one line naming the file and the .npy files the folder holds.
     */
    public static Map<String, FloatTensor> readAll(Path dir, List<String> names) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no such folder of .npy files: " + dir);
        }
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (String name : names) {
            Path f = fileFor(dir, name);
            if (!Files.isRegularFile(f)) {
                List<String> held;
                try (Stream<Path> s = Files.list(dir)) {
                    held = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy")).sorted().toList();
                }
                throw new IOException(dir + " has no " + f.getFileName() + " for tensor '" + name + "' (it holds "
                        + (held.isEmpty() ? "no .npy file" : String.join(", ", held)) + ")");
            }
            out.put(name, read(f));
        }
        return out;
    }

    /** The bytes of a version 1.0 header for a float32 C-order array, padded so data starts at a multiple of 64. */
    static byte[] header(long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(i > 0 ? ", " : "").append(shape[i]);
        }
        if (shape.length == 1) {
            dims.append(',');
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - unpadded) + "\n";
        if (text.length() > 0xFFFF) {
            throw new IllegalArgumentException("shape too long for an .npy header: " + FloatTensor.shapeString(shape));
        }
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static Header parseHeader(Path file, byte[] bytes) throws IOException {
        if (bytes.length < 10) {
            throw new IOException(file + ": not an .npy file (too short)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new IOException(file + ": not an .npy file (bad magic bytes)");
            }
        }
        int major = bytes[6] & 0xFF;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IOException(file + ": corrupt .npy header (too short)");
            }
            headerLen = b.getInt(8) & 0xFFFFFFFFL;
            start = 12;
        } else {
            throw new IOException(file + ": unsupported .npy format version " + major + "." + (bytes[7] & 0xFF));
        }
        if (start + headerLen > bytes.length) {
            throw new IOException(file + ": corrupt .npy header (declares " + headerLen + " bytes, file is shorter)");
        }
        String text = new String(bytes, start, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
        if (!text.startsWith("{") || !text.endsWith("}")) {
            throw new IOException(file + ": corrupt .npy header (not a dictionary): " + abbreviate(text));
        }
        Matcher d = DESCR.matcher(text);
        Matcher f = FORTRAN.matcher(text);
        Matcher s = SHAPE.matcher(text);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(file + ": corrupt .npy header (needs descr, fortran_order and shape): "
                    + abbreviate(text));
        }
        String descr = d.group(1);
        if (descr.length() < 2 || "<>|=".indexOf(descr.charAt(0)) < 0) {
            throw new IOException(file + ": unsupported .npy dtype '" + descr + "'");
        }
        if (descr.charAt(0) == '=' || descr.charAt(0) == '|') {
            descr = "<" + descr.substring(1);
        }
        return new Header(descr, f.group(1).equals("True"), parseShape(file, s.group(1)), (int) (start + headerLen));
    }

    private static long[] parseShape(Path file, String dims) throws IOException {
        List<Long> out = new ArrayList<>();
        for (String part : dims.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1); // Python 2 longs
            }
            try {
                long v = Long.parseLong(p);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                out.add(v);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": corrupt .npy header (bad shape '(" + dims + ")')");
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
