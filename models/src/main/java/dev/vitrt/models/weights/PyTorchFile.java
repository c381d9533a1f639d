package dev.vitrt.models.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import net.razorvine.pickle.PickleException;

/**
 * Reads what {@code torch.save} has written since PyTorch 1.6: a zip holding {@code <name>/data.pkl} (the object,
 * pickled, with storages as persistent ids) and {@code <name>/data/<key>} (each storage's raw little-endian bytes).
 * Storages are memory-mapped, not read: a tensor's values are decoded when asked for.
 */
final class PyTorchFile {
    /** data.pkl of a state dict is tens of kilobytes; training checkpoints with optimizer state a few megabytes. */
    static final long MAX_PICKLE = 64L << 20;

    private PyTorchFile() {
    }

    /** The unpickled object: maps, lists, numbers, strings and {@link TorchTensor}s. */
    static Object read(Path file) throws IOException {
        String what = file.getFileName().toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ZipIndex zip = ZipIndex.read(ch, what);
            ZipIndex.Entry pkl = null;
            for (ZipIndex.Entry e : zip.entries().values()) {
                String n = e.name();
                if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                    pkl = e;
                    break;
                }
            }
            if (pkl == null) {
                throw new IOException(what + " is a zip archive without <name>/data.pkl, so not a torch.save file");
            }
            if (pkl.size() > MAX_PICKLE) {
                throw new IOException(what + ": data.pkl has " + pkl.size() + " bytes, over the limit of " + MAX_PICKLE
                        + " for a checkpoint's pickle");
            }
            String prefix = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
            Map<String, TorchStorage> storages = new HashMap<>();
            TorchUnpickler u = new TorchUnpickler(ref -> storages.computeIfAbsent(ref.key(),
                    k -> storage(ch, zip, prefix, ref, what)));
            try {
                return u.load(map(ch, pkl));
            } catch (TorchUnpickler.RefusedGlobalException e) {
                throw new UnsafeCheckpointException(what + ": refused: its pickle calls " + e.global
                        + ", which a checkpoint has no need for (only tensors, dicts, lists, numbers, strings and"
                        + " argparse.Namespace records are read; nothing was run)");
            } catch (StorageException e) {
                throw new IOException(e.getMessage());
            } catch (PickleException | ClassCastException | IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new IOException(what + ": data.pkl is not a checkpoint pickle VitRT can read: " + e.getMessage());
            }
        }
    }

    private static TorchStorage storage(FileChannel ch, ZipIndex zip, String prefix, TorchUnpickler.StorageRef ref,
                                        String what) {
        String name = prefix + "data/" + ref.key();
        ZipIndex.Entry e = zip.entries().get(name);
        if (e == null) {
            throw new StorageException(what + ": the pickle refers to storage '" + ref.key() + "' but the archive has no "
                    + name);
        }
        long want = ref.numel() * ref.dtype().size;
        if (ref.numel() < 0 || e.size() < want) {
            throw new StorageException(what + ": storage " + ref.key() + " (" + name + ") holds " + e.size()
                    + " bytes but is declared as " + ref.numel() + " " + ref.dtype() + " values (" + want
                    + " bytes): the file is truncated or damaged");
        }
        if (want > Integer.MAX_VALUE) {
            throw new StorageException(what + ": storage " + ref.key() + " has " + want + " bytes, over the 2 GiB a"
                    + " single tensor may have here");
        }
        try {
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, e.dataOffset(), want);
            return new TorchStorage(ref.key(), ref.dtype(), ref.numel(), name, b);
        } catch (IOException ex) {
            throw new StorageException(what + ": cannot map storage " + name + ": " + ex.getMessage());
        }
    }

    private static ByteBuffer map(FileChannel ch, ZipIndex.Entry e) throws IOException {
        return ch.map(FileChannel.MapMode.READ_ONLY, e.dataOffset(), e.size());
    }

    /** A storage problem found while unpickling (carried out of Pyrolite's stack unchanged). */
    private static final class StorageException extends RuntimeException {
        StorageException(String message) {
            super(message, null, false, false);
        }
    }
}
