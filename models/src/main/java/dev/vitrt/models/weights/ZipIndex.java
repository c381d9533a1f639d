package dev.vitrt.models.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip file, as {@code torch.save} writes them (stored entries, ZIP64 past 4 GiB): where
 * each entry's bytes start, so that they can be memory-mapped rather than read. Only what the directory says is
 * trusted after it has been checked against the file's size.
 */
final class ZipIndex {
    /** One stored entry: its bytes are {@code size} bytes at {@code dataOffset}. */
    record Entry(String name, long dataOffset, long size) {
    }

    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CEN_SIG = 0x02014b50;
    private static final int LOC_SIG = 0x04034b50;
    private static final int MAX_ENTRIES = 1_000_000;
    private static final long MAX_DIRECTORY = 256L << 20;

    private final Map<String, Entry> entries;

    private ZipIndex(Map<String, Entry> entries) {
        this.entries = entries;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    static ZipIndex read(FileChannel ch, String what) throws IOException {
        long size = ch.size();
        int tailLen = (int) Math.min(size, 22 + 0xFFFF);
        ByteBuffer tail = read(ch, size - tailLen, tailLen);
        int eocd = -1;
        for (int i = tailLen - 22; i >= 0; i--) {
            if (tail.getInt(i) == EOCD_SIG) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new IOException(what + " is truncated or not a zip archive (no end-of-central-directory record)");
        }
        long count = tail.getShort(eocd + 10) & 0xFFFF;
        long dirSize = tail.getInt(eocd + 12) & 0xFFFFFFFFL;
        long dirOffset = tail.getInt(eocd + 16) & 0xFFFFFFFFL;
        long eocdPos = size - tailLen + eocd;
        if (count == 0xFFFF || dirSize == 0xFFFFFFFFL || dirOffset == 0xFFFFFFFFL) {
            long locator = eocdPos - 20;
            if (locator < 0 || read(ch, locator, 4).getInt(0) != ZIP64_LOCATOR_SIG) {
                throw new IOException(what + " is damaged: its ZIP64 end-of-central-directory locator is missing");
            }
            long z64 = read(ch, locator + 8, 8).getLong(0);
            if (z64 < 0 || z64 > locator - 56) {
                throw new IOException(what + " is damaged: ZIP64 record offset " + z64 + " is outside the file");
            }
            ByteBuffer rec = read(ch, z64, 56);
            if (rec.getInt(0) != ZIP64_EOCD_SIG) {
                throw new IOException(what + " is damaged: no ZIP64 end-of-central-directory record");
            }
            count = rec.getLong(32);
            dirSize = rec.getLong(40);
            dirOffset = rec.getLong(48);
        }
        if (count > MAX_ENTRIES || dirSize > MAX_DIRECTORY || dirOffset < 0 || dirSize < 0
                || dirOffset + dirSize > eocdPos) {
            throw new IOException(what + " is truncated or damaged: its central directory (" + dirSize + " bytes at "
                    + dirOffset + ", " + count + " entries) does not fit in the file's " + size + " bytes");
        }
        ByteBuffer dir = read(ch, dirOffset, (int) dirSize);
        Map<String, Entry> out = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > dir.limit() || dir.getInt(p) != CEN_SIG) {
                throw new IOException(what + " is damaged: central directory entry " + i + " is malformed");
            }
            int method = dir.getShort(p + 10) & 0xFFFF;
            long csize = dir.getInt(p + 20) & 0xFFFFFFFFL;
            long usize = dir.getInt(p + 24) & 0xFFFFFFFFL;
            int nameLen = dir.getShort(p + 28) & 0xFFFF;
            int extraLen = dir.getShort(p + 30) & 0xFFFF;
            int commentLen = dir.getShort(p + 32) & 0xFFFF;
            long local = dir.getInt(p + 42) & 0xFFFFFFFFL;
            if (p + 46 + nameLen + extraLen + commentLen > dir.limit()) {
                throw new IOException(what + " is damaged: central directory entry " + i + " runs past the directory");
            }
            byte[] nameBytes = new byte[nameLen];
            dir.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // ZIP64 extra field: the sizes and offset that did not fit in 32 bits, in this order
            int e = p + 46 + nameLen;
            int end = e + extraLen;
            while (e + 4 <= end) {
                int id = dir.getShort(e) & 0xFFFF;
                int len = dir.getShort(e + 2) & 0xFFFF;
                if (id == 1) {
                    int q = e + 4;
                    if (usize == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
                        usize = dir.getLong(q);
                        q += 8;
                    }
                    if (csize == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
                        csize = dir.getLong(q);
                        q += 8;
                    }
                    if (local == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
                        local = dir.getLong(q);
                    }
                }
                e += 4 + len;
            }
            p += 46 + nameLen + extraLen + commentLen;
            if (method != 0 || csize != usize) {
                throw new IOException(what + ": zip entry '" + name + "' is compressed (method " + method
                        + "); torch.save writes stored entries, so this file was re-packed; unzip and re-zip it with"
                        + " no compression (zip -0) or save it again with torch.save");
            }
            if (local < 0 || local + 30 > dirOffset) {
                throw new IOException(what + " is damaged: entry '" + name + "' starts outside the file");
            }
            ByteBuffer lh = read(ch, local, 30);
            if (lh.getInt(0) != LOC_SIG) {
                throw new IOException(what + " is damaged: entry '" + name + "' has no local header");
            }
            long data = local + 30 + (lh.getShort(26) & 0xFFFF) + (lh.getShort(28) & 0xFFFF);
            if (usize < 0 || data + usize > dirOffset) {
                throw new IOException(what + " is truncated or damaged: entry '" + name + "' (" + usize
                        + " bytes at " + data + ") runs past the end of the data");
            }
            out.put(name, new Entry(name, data, usize));
        }
        return new ZipIndex(out);
    }

    static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
        return b.flip();
    }
}
