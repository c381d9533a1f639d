package dev.vitrt.runtime.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.classify.ClassNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledImagesTest {

    static Path touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
        return p;
    }

    @Test
    void synsetFoldersMapToTimmsImageNetOrder(@TempDir Path dir) throws IOException {
        touch(dir.resolve("n01443537/b.JPEG"));            // goldfish, index 1
        touch(dir.resolve("n01440764/a.jpg"));             // tench, index 0
        touch(dir.resolve("n01440764/sub/c.png"));         // searched recursively
        touch(dir.resolve("n15075141/d.jpeg"));            // toilet tissue, index 999
        touch(dir.resolve("n01440764/notes.txt"));         // not an image: counted, ignored
        touch(dir.resolve("n01440764/.hidden/e.jpg"));     // hidden: ignored
        touch(dir.resolve(".cache/f.jpg"));                // hidden class folder: ignored
        LabelledImages d = LabelledImages.fromFolder(dir, 1000, null);
        assertEquals(4, d.size());
        assertEquals(List.of(0, 0, 1, 999), d.items().stream().map(LabelledImages.Item::label).toList());
        assertEquals(dir.resolve("n01440764/a.jpg"), d.items().get(0).file());
        assertEquals(1, d.otherFiles());
        assertEquals(3, d.classCount());
        assertTrue(d.describe().startsWith("4 images in 3 classes from "));
    }

    @Test
    void integerAndNamedFolders(@TempDir Path dir) throws IOException {
        touch(dir.resolve("0/a.png"));
        touch(dir.resolve("2/b.png"));
        touch(dir.resolve("cat/c.png"));
        LabelledImages d = LabelledImages.fromFolder(dir, 3, ClassNames.of(List.of("dog", "bird", "cat")));
        assertEquals(List.of(0, 2, 2), d.items().stream().map(LabelledImages.Item::label).toList());
    }

    @Test
    void badFoldersEndInOneLine(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope");
        assertTrue(assertThrows(IOException.class, () -> LabelledImages.fromFolder(missing, 1000, null))
                .getMessage().startsWith("no such image folder"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(assertThrows(IOException.class, () -> LabelledImages.fromFolder(empty, 1000, null))
                .getMessage().contains("is empty"));
        Path flat = dir.resolve("flat");
        touch(flat.resolve("a.jpg"));
        assertTrue(assertThrows(IOException.class, () -> LabelledImages.fromFolder(flat, 1000, null))
                .getMessage().contains("has no class subfolders"));
        Path noImages = dir.resolve("noimages");
        touch(noImages.resolve("n01440764/readme.md"));
        assertTrue(assertThrows(IOException.class, () -> LabelledImages.fromFolder(noImages, 1000, null))
                .getMessage().startsWith("no .jpg, .jpeg or .png images in the 1 class folders"));
        Path outside = dir.resolve("outside");
        touch(outside.resolve("1000/a.jpg"));
        String m = assertThrows(IllegalArgumentException.class, () -> LabelledImages.fromFolder(outside, 1000, null))
                .getMessage();
        assertEquals("class folder '1000' is outside the model's 1000 classes (0-999)", m);
        Path synsetOn10 = dir.resolve("synset10");
        touch(synsetOn10.resolve("n01440764/a.jpg"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelledImages.fromFolder(synsetOn10, 10, null))
                .getMessage().contains("is a WordNet synset that is not one of the model's classes (the model has 10"));
        Path unknown = dir.resolve("unknown");
        touch(unknown.resolve("cats/a.jpg"));
        assertEquals("class folder 'cats' is neither a class index (0-999), an ImageNet-1k synset (e.g. n01440764)"
                        + " nor a class name of the model",
                assertThrows(IllegalArgumentException.class, () -> LabelledImages.fromFolder(unknown, 1000, null))
                        .getMessage());
    }

    @Test
    void csvRowsWithHeaderRelativePathsAndBadLines(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "path,label\nimgs/b.jpg,n01443537\n\nimgs/a,with comma.jpg,7\n\"/abs/c.png\",\"3\"\n");
        LabelledImages d = LabelledImages.fromCsv(csv, null, 1000, null);
        assertEquals(3, d.size());
        assertEquals(Set.of(Path.of("/abs/c.png"), dir.resolve("imgs/a,with comma.jpg"), dir.resolve("imgs/b.jpg")),
                new HashSet<>(d.files()));
        assertEquals(1, d.items().stream().filter(i -> i.file().endsWith("b.jpg")).findFirst().orElseThrow().label());
        Path root = dir.resolve("elsewhere");
        assertEquals(root.resolve("imgs/b.jpg"), LabelledImages.fromCsv(csv, root, 1000, null).items().stream()
                .filter(i -> i.label() == 1).findFirst().orElseThrow().file());
        Files.writeString(csv, "a.jpg,1\nb.jpg,12\n");
        assertEquals(csv + " line 2 label '12' is outside the model's 10 classes (0-9)",
                assertThrows(IllegalArgumentException.class, () -> LabelledImages.fromCsv(csv, null, 10, null))
                        .getMessage());
        Files.writeString(csv, "a.jpg\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelledImages.fromCsv(csv, null, 10, null))
                .getMessage().endsWith("line 1: expected 'path,label', got 'a.jpg'"));
        Files.writeString(csv, "path,label\n");
        assertTrue(assertThrows(IOException.class, () -> LabelledImages.fromCsv(csv, null, 10, null))
                .getMessage().endsWith("has no 'path,label' rows"));
    }

    @Test
    void limitAndSplitSpreadOverClassesAndNeverOverlap(@TempDir Path dir) throws IOException {
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < 5; i++) {
                touch(dir.resolve(c + "/" + i + ".png"));
            }
        }
        LabelledImages d = LabelledImages.fromFolder(dir, 4, null);
        LabelledImages four = d.limit(4);
        assertEquals(List.of(0, 1, 2, 3), four.items().stream().map(LabelledImages.Item::label).toList());
        assertEquals(d, d.limit(0));
        LabelledImages.Split s = d.split(8);
        assertEquals(8, s.heldOut().size());
        assertEquals(12, s.rest().size());
        Set<Path> held = new HashSet<>(s.heldOut().files());
        assertTrue(s.rest().files().stream().noneMatch(held::contains));
        assertEquals(4, s.heldOut().classCount());
        assertThrows(IllegalArgumentException.class, () -> d.split(20));
    }
}
