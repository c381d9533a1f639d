package dev.vitrt.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/** The PyTorch checkpoint fixtures of {@code fixtures/checkpoints} (see its README), unpacked into a directory. */
public final class CheckpointFixtures {
    private CheckpointFixtures() {
    }

    /** Unzips {@code NAME.gz} from the test resources into {@code dir}/NAME and returns that path. */
    public static Path unpack(String name, Path dir) {
        try (InputStream raw = CheckpointFixtures.class.getResourceAsStream("/fixtures/checkpoints/" + name + ".gz")) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource fixtures/checkpoints/" + name + ".gz");
            }
            Path out = dir.resolve(name);
            Files.copy(new GZIPInputStream(raw), out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A resource of {@code fixtures/checkpoints} (reference logits) as a path. */
    public static Path resource(String name) {
        try {
            return Path.of(CheckpointFixtures.class.getResource("/fixtures/checkpoints/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("missing test resource fixtures/checkpoints/" + name, e);
        }
    }

    /**
     * The fixtures' input, a float32 NCHW batch made by formula (so that it need not be stored): element i (flat
     * index) is {@code h / 2^32 * 4 - 2} with {@code h = (i * 2654435761 + 12345) mod 2^32}.
     */
    public static float[] input(int batch, int size) {
        float[] x = new float[batch * 3 * size * size];
        for (int i = 0; i < x.length; i++) {
            long h = (i * 2654435761L + 12345L) & 0xFFFFFFFFL;
            x[i] = (float) ((double) h / 4294967296.0 * 4 - 2);
        }
        return x;
    }
}
