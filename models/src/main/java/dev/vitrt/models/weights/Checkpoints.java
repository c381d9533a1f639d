package dev.vitrt.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opens a checkpoint file whatever its container: safetensors, or a {@code torch.save} file ({@code .pth},
 * {@code .pth.tar}, {@code .pt}, {@code .bin}) holding a state dict directly or under one of the keys training
 * scripts use. When a file holds both EMA and raw weights the EMA weights are taken unless asked otherwise, as timm's
 * {@code load_checkpoint} does. DDP's {@code module.} and torch.compile's {@code _orig_mod.} prefixes are removed.
 */
public final class Checkpoints {
    /** Where training scripts keep EMA weights (timm, DeiT / Next-ViT, ml-cvnets), in order of preference. */
    static final List<String> EMA_KEYS = List.of("state_dict_ema", "model_ema", "ema_state_dict");
    /** Where they keep the raw weights. */
    static final List<String> RAW_KEYS = List.of("state_dict", "model", "model_state_dict");
    private static final List<String> PREFIXES = List.of("module.", "_orig_mod.");

    /**
     * A checkpoint's tensors and where in the file they came from.
     *
     * @param format    {@code safetensors} or {@code PyTorch}
     * @param entry     the key of the state dict inside the file, or null for a plain state dict
     * @param ema       whether {@code entry} holds EMA weights
     * @param alternate the state dict that was not taken (raw weights when EMA ones were, or the reverse), or null
     */
    public record Checkpoint(StateDict weights, String format, String entry, boolean ema, String alternate) {
        /** For the user: e.g. {@code PyTorch, EMA weights 'state_dict_ema' (raw weights in 'state_dict')}. */
        public String describe() {
            if (entry == null) {
                return format;
            }
            return format + ", " + (ema ? "EMA weights" : "weights") + " '" + entry + "'"
                    + (alternate == null ? "" : " (" + (ema ? "raw" : "EMA") + " weights in '" + alternate + "')");
        }
    }

    private Checkpoints() {
    }

    public static Checkpoint read(Path file, boolean preferEma) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String name = file.getFileName().toString();
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
            return fromPickle(name, PyTorchFile.read(file), preferEma);
        }
        if (n >= 2 && (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            throw new IOException(name + " is in PyTorch's legacy format (before 1.6, or saved with"
                    + " _use_new_zipfile_serialization=False); load it and torch.save it again with PyTorch 1.6 or newer");
        }
        if (n == 9 && head[8] == '{') {
            return new Checkpoint(SafeTensors.read(file), "safetensors", null, false, null);
        }
        if (name.endsWith(".safetensors")) {
            return new Checkpoint(SafeTensors.read(file), "safetensors", null, false, null);
        }
        throw new IOException(name + " is not a checkpoint VitRT reads: expected safetensors or a torch.save file"
                + " (a zip archive), found neither");
    }

    private static Checkpoint fromPickle(String name, Object root, boolean preferEma) throws IOException {
        if (!(root instanceof Map<?, ?> top)) {
            throw new IOException(name + " holds a " + typeName(root) + ", not a state dict");
        }
        String ema = firstStateDict(top, EMA_KEYS);
        String raw = firstStateDict(top, RAW_KEYS);
        String entry;
        if (ema == null && raw == null) {
            entry = null;
        } else if (preferEma) {
            entry = ema != null ? ema : raw;
        } else {
            if (raw == null) {
                throw new IOException(name + " holds only EMA weights ('" + ema + "'), but its raw weights were asked for");
            }
            entry = raw;
        }
        Map<?, ?> dict = entry == null ? top : (Map<?, ?>) top.get(entry);
        StateDict sd = new StateDict(name);
        int tensors = 0;
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof TorchTensor t)) {
                continue;
            }
            tensors++;
            if (!t.dtype().floating()) {
                continue; // integer buffers (num_batches_tracked) carry nothing the graph needs
            }
            t.check(key, name);
            String k = stripPrefixes(key);
            if (t.dtype().readable()) {
                sd.putLazy(k, t.size().clone(), t::toFloats);
            } else {
                sd.putLazy(k, t.size().clone(), () -> {
                    throw new IllegalArgumentException("checkpoint " + name + ": tensor '" + key + "' is " + t.dtype()
                            + "; weights are read as float32, float16 or bfloat16 (save the model after .float())");
                });
            }
        }
        if (tensors == 0) {
            List<String> keys = new ArrayList<>();
            top.keySet().stream().limit(8).forEach(k -> keys.add(String.valueOf(k)));
            throw new IOException(name + " holds no tensors where a state dict is expected; its top-level keys are "
                    + keys + (top.size() > 8 ? " ..." : "") + " (known: a plain state dict, or one under "
                    + String.join(", ", EMA_KEYS) + ", " + String.join(", ", RAW_KEYS) + ")");
        }
        boolean isEma = entry != null && EMA_KEYS.contains(entry);
        String alternate = entry == null ? null : isEma ? raw : ema;
        return new Checkpoint(sd, "PyTorch", entry, isEma, alternate);
    }

    private static String firstStateDict(Map<?, ?> top, List<String> keys) {
        for (String k : keys) {
            if (top.get(k) instanceof Map<?, ?> m && m.values().stream().anyMatch(v -> v instanceof TorchTensor)) {
                return k;
            }
        }
        return null;
    }

    static String stripPrefixes(String key) {
        String k = key;
        for (String p : PREFIXES) {
            if (k.startsWith(p)) {
                k = k.substring(p.length());
            }
        }
        return k;
    }

    private static String typeName(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof TorchTensor) {
            return "single tensor";
        }
        if (o instanceof TorchUnpickler.Record r) {
            return r.type;
        }
        return o.getClass().getSimpleName();
    }
}
