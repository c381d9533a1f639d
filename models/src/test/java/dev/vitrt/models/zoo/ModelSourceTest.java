package dev.vitrt.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.models.onnx.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model named as a user names it, as an ONNX file: a file as it is, a zoo name exported where the caller says. */
class ModelSourceTest {
    @TempDir
    Path dir;

    @Test
    void aZooNameIsExportedIntoTheCallersTemporaryFile() throws IOException {
        Path[] made = new Path[1];
        Path p = ModelSource.resolve("mobilevitv2_050", ExportOptions.defaults().withInputSize(64).withBatch(2),
                (prefix, suffix) -> made[0] = Files.createTempFile(dir, prefix, suffix));
        assertSame(made[0], p);
        assertTrue(p.getFileName().toString().startsWith("vitrt-mobilevitv2_050-"), p.toString());
        ModelProto m = OnnxModels.read(p);
        var dims = m.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
        assertEquals(2, dims.get(0).getDimValue());
        assertEquals(64, dims.get(3).getDimValue());
        // a file is taken as it is, not copied
        assertEquals(p, ModelSource.resolve(p.toString(), ExportOptions.defaults(), (a, b) -> {
            throw new AssertionError("no export for a file");
        }));
    }

    @Test
    void badNamesFailBeforeAnyWork() {
        assertThrows(IOException.class, () -> ModelSource.check(dir.resolve("missing.onnx").toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSource.resolve("nextvit_smal", ExportOptions.defaults()));
        assertTrue(e.getMessage().contains("nextvit_small"), e.getMessage());
    }
}
