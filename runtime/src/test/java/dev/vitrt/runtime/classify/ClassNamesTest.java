package dev.vitrt.runtime.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ModelMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassNamesTest {

    @Test
    void imageNetFollowsTimmsSynsetOrder() {
        ClassNames in = ClassNames.imageNet1k();
        assertEquals(1000, in.size());
        // first, well-known and last classes of the standard ImageNet-1k index (as torchvision and timm number them)
        assertEquals(Optional.of("n01440764"), in.synset(0));
        assertTrue(in.name(0).startsWith("tench"));
        assertEquals(Optional.of(207), in.indexOfSynset("n02099601"));
        assertTrue(in.name(207).startsWith("golden retriever"));
        assertEquals(Optional.of(281), in.indexOfSynset("n02123045"));
        assertTrue(in.name(281).startsWith("tabby"));
        assertEquals(Optional.of("n15075141"), in.synset(999));
        assertTrue(in.name(999).startsWith("toilet tissue"));
        assertEquals(Optional.empty(), in.indexOfSynset("n00000000"));
    }

    @Test
    void aModelsNamesComeFromItsMetadataElseImageNetForAThousandClasses() {
        assertEquals(1000, ClassNames.forModel(java.util.Map.of(), 1000).orElseThrow().size());
        assertEquals(Optional.empty(), ClassNames.forModel(java.util.Map.of(), 10));
        ClassNames pets = ClassNames.forModel(ModelMetadata.empty().withClasses(2, "[\"cat\", \"dog\"]").asMap(), 2)
                .orElseThrow();
        assertEquals("dog", pets.name(1));
        assertEquals(Optional.empty(), ClassNames.forModel(ModelMetadata.empty().withClasses(2, "[\"cat\"]").asMap(), 2));
        assertEquals("tench", ClassNames.forModel(ModelMetadata.empty().withClasses(1000, "imagenet-1k").asMap(), 1000)
                .orElseThrow().name(0).split(",")[0]);
    }

    @Test
    void readsOneNamePerLine(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("labels.txt"), "cat\n dog \nbird\n\n");
        ClassNames c = ClassNames.read(f);
        assertEquals(3, c.size());
        assertEquals("dog", c.name(1));
        assertEquals(Optional.empty(), c.synset(0));
    }

    @Test
    void blankLineInsideOrEmptyFileIsAnError(@TempDir Path dir) throws IOException {
        IOException e = assertThrows(IOException.class,
                () -> ClassNames.read(Files.writeString(dir.resolve("a.txt"), "cat\n\ndog\n")));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(IOException.class, () -> ClassNames.read(Files.writeString(dir.resolve("b.txt"), "\n")));
    }

    @Test
    void topKIsOrderedWithProbabilitiesAndNames() {
        FloatTensor logits = new FloatTensor(new long[] {2, 4}, new float[] {1, 3, 2, 3, 0, 0, 0, 5});
        ClassNames names = ClassNames.of(List.of("a", "b", "c", "d"));
        List<Classification> top = Classification.topK(logits, 0, 3, names);
        assertEquals(List.of(1, 3, 2), top.stream().map(Classification::index).toList());
        assertEquals("b", top.get(0).name());
        double z = Math.exp(1) + 2 * Math.exp(3) + Math.exp(2);
        assertEquals(Math.exp(3) / z, top.get(0).probability(), 1e-12);
        assertEquals(Math.exp(2) / z, top.get(2).probability(), 1e-12);
        List<Classification> second = Classification.topK(logits, 1, 10, null);
        assertEquals(4, second.size());
        assertEquals(3, second.get(0).index());
        assertNull(second.get(0).name());
    }

    @Test
    void topKRejectsMismatchedNames() {
        FloatTensor logits = new FloatTensor(new long[] {1, 3}, new float[] {1, 2, 3});
        assertThrows(IllegalArgumentException.class,
                () -> Classification.topK(logits, 0, 1, ClassNames.of(List.of("a", "b"))));
    }
}
