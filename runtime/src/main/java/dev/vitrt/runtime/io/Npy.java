package dev.vitrt.runtime.io;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.FloatTensor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * NumPy {@code .npy} files of float32 in C order, the exchange format with Python tools (numpy's format spec,
 * versions 1.0 to 3.0), read from files or streams: VitRT's one .npy reader. Anything else (another dtype, Fortran order, a corrupt header, a truncated body) is refused
 * with one line that names the file and what is wrong.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy writes headers of a few hundred bytes; anything near this is not an .npy file. */
    private static final int MAX_HEADER = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final String FLOAT32_DESCR = ElementType.FLOAT32.numpyDescr().orElseThrow();

    /** What an .npy header declares. */
    public record Header(String descr, boolean fortranOrder, long[] shape, int dataOffset) {
        /** The element type {@code descr} names, or empty for a NumPy type VitRT has no name for. */
        public Optional<ElementType> elementType() {
            return ElementType.fromNumpyDescr(descr);
        }

        /**
         * Fails unless the data is float32 in C order, what {@link #readData} reads: a caller checks it with the
         * shape, before it spends memory on the data.
         */
        public void requireFloat32C(String source) throws IOException {
            ElementType type = elementType().orElse(null);
            if (type != ElementType.FLOAT32) {
                throw new IOException(source + ": dtype " + (type != null ? type : descr) + " ('" + descr
                        + "') is not supported; expected float32 (in numpy: x.astype(np.float32))");
            }
            if (fortranOrder) {
                throw new IOException(source + ": Fortran-ordered array; expected C order (in numpy: "
                        + "np.ascontiguousarray(x))");
            }
        }
    }

    private Npy() {
    }

    /** Reads a float32, C-order array. */
    public static FloatTensor read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a float32, C-order array from a stream that holds exactly one .npy file (an HTTP body, a zip entry);
     * {@code source} names it in messages.
     */
    public static FloatTensor read(InputStream in, String source) throws IOException {
        return readData(in, readHeader(in, source), source);
    }

    /** Reads only the header of an .npy file (to check dtype and shape before loading). */
    public static Header readHeader(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readHeader(in, file.toString());
        }
    }

    /**
     * Reads the header from the start of a stream, leaving the stream at the first data byte: a caller can check the
     * shape (and what the data will cost) before {@link #readData} allocates it.
     */
    public static Header readHeader(InputStream in, String source) throws IOException {
        byte[] lead = in.readNBytes(10);
        if (lead.length < 10) {
            throw new IOException(source + ": not an .npy file (too short)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (lead[i] != MAGIC[i]) {
                throw new IOException(source + ": not an .npy file (bad magic bytes)");
            }
        }
        int major = lead[6] & 0xFF;
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = ByteBuffer.wrap(lead, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            byte[] more = in.readNBytes(2);
            if (more.length < 2) {
                throw new IOException(source + ": corrupt .npy header (too short)");
            }
            headerLen = ByteBuffer.wrap(new byte[] {lead[8], lead[9], more[0], more[1]})
                    .order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            start = 12;
        } else {
            throw new IOException(source + ": unsupported .npy format version " + major + "." + (lead[7] & 0xFF));
        }
        if (headerLen > MAX_HEADER) {
            throw new IOException(source + ": corrupt .npy header (declares " + headerLen + " bytes)");
        }
        byte[] dict = in.readNBytes((int) headerLen);
        if (dict.length < headerLen) {
            throw new IOException(source + ": corrupt .npy header (declares " + headerLen + " bytes, file is shorter)");
        }
        String text = new String(dict, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
        return parseHeader(source, text, (int) (start + headerLen));
    }

    /**
     * Reads the data {@code h} declares from a stream positioned after the header, as float32 in C order (other
     * dtypes, Fortran order, and a body shorter or longer than the shape needs are refused).
     */
    public static FloatTensor readData(InputStream in, Header h, String source) throws IOException {
        String order = h.descr.substring(0, 1);
        h.requireFloat32C(source);
        long count;
        try {
            count = FloatTensor.elementCount(h.shape);
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE / 4;
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IOException(source + ": array of " + count + " values is too large");
        }
        float[] data = new float[(int) count];
        ByteOrder bo = order.equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] chunk = new byte[1 << 16];
        long body = 0;
        int filled = 0;
        int n;
        while (filled < count && (n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, (count - filled) * 4L)))
                > 0) {
            body += n;
            int whole = n / 4 * 4;
            ByteBuffer.wrap(chunk, 0, whole).order(bo).asFloatBuffer().get(data, filled, whole / 4);
            filled += whole / 4;
            if (whole < n) { // only at the end of a truncated stream: readNBytes fills the chunk otherwise
                break;
            }
        }
        body += in.transferTo(OutputStream.nullOutputStream());
        if (body != count * 4) {
            throw new IOException(source + ": " + (body < count * 4 ? "truncated" : "corrupt") + " .npy: shape "
                    + FloatTensor.shapeString(h.shape) + " needs " + count * 4 + " data bytes, file has " + body);
        }
        return new FloatTensor(h.shape, data);
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
        String dict = "{'descr': '" + FLOAT32_DESCR + "', 'fortran_order': False, 'shape': (" + dims + "), }";
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

    private static Header parseHeader(String file, String text, int dataOffset) throws IOException {
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
        return new Header(descr, f.group(1).equals("True"), parseShape(file, s.group(1)), dataOffset);
    }

    private static long[] parseShape(String file, String dims) throws IOException {
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
