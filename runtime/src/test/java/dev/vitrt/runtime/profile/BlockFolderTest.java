package dev.vitrt.runtime.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockFolderTest {
    static final BlockTags NEXTVIT = BlockTags.fromMetadata(Map.of(
            "vitrt.blocks", "{\"stem\":\"Stem\",\"stages.0.blocks.0\":\"NCB\",\"stages.0.blocks.1\":\"NCB\","
                    + "\"stages.2.blocks.4\":\"NTB\",\"stages.2.blocks.40\":\"NTB\",\"head\":\"Head\"}",
            "vitrt.parts", "{\"NCB\":{\"patch_embed\":\"PatchEmbed\",\"mhca\":\"MHCA\",\"mlp\":\"MLP\"},"
                    + "\"NTB\":{\"e_mhsa\":\"E-MHSA\",\"mhca\":\"MHCA\",\"mlp\":\"MLP\",\"mlp.fc2\":\"MLP-out\"}}"));

    @Test
    void matchesLongestBlockAndPartPrefixOnSeparators() {
        assertEquals(new BlockTags.Match("stages.2.blocks.4", "NTB", "E-MHSA"),
                NEXTVIT.match("stages.2.blocks.4.e_mhsa.q/MatMul"));
        // blocks.40 must not be taken for blocks.4
        assertEquals(new BlockTags.Match("stages.2.blocks.40", "NTB", "MLP"),
                NEXTVIT.match("stages.2.blocks.40.mlp.fc1/Conv"));
        // longest part prefix wins
        assertEquals("MLP-out", NEXTVIT.match("stages.2.blocks.40.mlp.fc2/Conv").part());
        // a block-level node without a part
        assertEquals(new BlockTags.Match("stages.0.blocks.1", "NCB", null), NEXTVIT.match("stages.0.blocks.1/Add"));
        assertEquals("Stem", NEXTVIT.match("/stem.0.conv/Conv").blockType());
        assertNull(NEXTVIT.match("stemx/Conv"));
        assertNull(NEXTVIT.match("stages.2.blocks.400/Add"));
        assertNull(NEXTVIT.match("Reshape_token_12"));
    }

    @Test
    void theEmptyPrefixNamesTheRestOfTheBlock() {
        BlockTags resnet = BlockTags.fromMetadata(Map.of(
                "vitrt.blocks", "{\"conv1\":\"Stem\",\"maxpool\":\"Stem\",\"layer1.0\":\"Bottleneck\"}",
                "vitrt.parts", "{\"Stem\":{\"\":\"ConvNormAct\",\"MaxPool\":\"MaxPool\"},"
                        + "\"Bottleneck\":{\"conv1\":\"Reduce\",\"\":\"Residual\"}}"));
        assertEquals("ConvNormAct", resnet.match("conv1/Conv").part());
        assertEquals("ConvNormAct", resnet.match("conv1/CastToFp16").part());
        assertEquals("MaxPool", resnet.match("maxpool/MaxPool").part());
        assertEquals("Reduce", resnet.match("layer1.0.conv1/Conv").part());
        assertEquals("Residual", resnet.match("layer1.0/Add").part());
        assertEquals("Residual", resnet.match("layer1.0.act3/Relu").part());
    }

    @Test
    void foldsIntoBlockTypesPartsAndOther() {
        BlockProfile p = new BlockFolder(NEXTVIT).fold(List.of(
                new LayerTime("stem.0.conv/Conv", "Conv", 1.0),
                new LayerTime("stages.0.blocks.0.mhca.group_conv3x3/Conv", "Conv", 2.0),
                new LayerTime("stages.0.blocks.1.mlp.fc1/Conv", "Conv", 1.0),
                new LayerTime("stages.2.blocks.4.e_mhsa.q/MatMul", "MatMul", 3.0),
                new LayerTime("stages.2.blocks.4/Add", "Add", 0.5),
                new LayerTime("head.fc/Gemm", "Gemm", 0.5),
                new LayerTime("InsertedCast_token_3", "Cast", 2.0)));
        assertEquals(10.0, p.totalMs(), 1e-9);
        assertEquals(List.of("Stem", "NCB", "NTB", "Head", "other"),
                p.blocks().stream().map(BlockProfile.BlockRow::type).toList());
        BlockProfile.BlockRow ncb = p.row("NCB");
        assertEquals(2, ncb.count());
        assertEquals(3.0, ncb.ms(), 1e-9);
        assertEquals(1.5, ncb.msPerBlock(), 1e-9);
        assertEquals(0.3, ncb.share(), 1e-9);
        assertEquals(3.5, p.row("NTB").ms(), 1e-9);
        assertEquals(2.0, p.row("other").ms(), 1e-9);
        assertEquals(0, p.row("other").count());
        assertEquals(1, p.unmatchedLayers());
        assertEquals(1.0, p.blocks().stream().mapToDouble(BlockProfile.BlockRow::share).sum(), 1e-9);
        assertTrue(p.parts().contains(new BlockProfile.PartRow("NCB", "MHCA", 2.0)));
        assertTrue(p.parts().contains(new BlockProfile.PartRow("NTB", "E-MHSA", 3.0)));
        assertTrue(p.parts().contains(new BlockProfile.PartRow("NCB", "PatchEmbed", 0.0)), "parts shown even at 0");
    }

    @Test
    void untaggedModelPutsEverythingInOther() {
        BlockProfile p = new BlockFolder(BlockTags.none()).fold(List.of(new LayerTime("/stem/Conv", null, 4.0)));
        assertEquals(1, p.blocks().size());
        assertEquals(new BlockProfile.BlockRow("other", 0, 4.0, 1.0), p.blocks().get(0));
    }

    @Test
    void parsesTensorRtLayerNames() {
        assertEquals(List.of("stem.0.conv/Conv", "stem.0.act/Relu"),
                BlockFolder.parse("stem.0.conv/Conv + stem.0.act/Relu").sources());
        assertEquals(List.of("a/Mul", "b/Add", "c/Sigmoid"),
                BlockFolder.parse("PWN(PWN(a/Mul, b/Add), c/Sigmoid)").sources());
        assertEquals(List.of("stages.2.blocks.4.e_mhsa.q/MatMul", "stages.2.blocks.4.e_mhsa.proj/MatMul"),
                BlockFolder.parse("{ForeignNode[stages.2.blocks.4.e_mhsa.q/MatMul...stages.2.blocks.4.e_mhsa.proj/MatMul]}")
                        .sources());
        assertTrue(BlockFolder.parse("Reformatting CopyNode for Input Tensor 0 to stem.0.conv/Conv").reformat());
        assertTrue(BlockFolder.parse("stages.0.blocks.0/Add output reformatter 0").reformat());
        assertEquals(List.of("head.fc/Gemm"), BlockFolder.parse("head.fc/Gemm").sources());
    }

    @Test
    void fusedLayersSpanningBlocksGoToTheFirstAndAreCounted() {
        BlockProfile p = new BlockFolder(NEXTVIT).fold(List.of(
                new LayerTime("stages.0.blocks.1.mlp.fc2/Conv + stages.0.blocks.1/Add + stages.2.blocks.4.norm/Mul",
                        null, 2.0),
                new LayerTime("Unnamed Layer* 12 [Shuffle] + stages.2.blocks.4.e_mhsa.q/MatMul", null, 1.0),
                new LayerTime("Reformatting CopyNode for Input Tensor 0 to stages.2.blocks.4.e_mhsa.q/MatMul", null, 0.5),
                new LayerTime("PWN(stem.0.act/Relu)", null, 0.5)));
        assertEquals(2.0, p.row("NCB").ms(), 1e-9);
        assertEquals(1.0, p.row("NTB").ms(), 1e-9, "first source with a block decides");
        assertEquals(0.5, p.row("Stem").ms(), 1e-9);
        assertEquals(0.5, p.row("reformat").ms(), 1e-9);
        assertEquals(0.0, p.row("other").ms(), 1e-9);
        assertEquals(2.0, p.crossBlockMs(), 1e-9);
        assertEquals(1, p.crossBlockLayers());
        assertTrue(p.parts().contains(new BlockProfile.PartRow("NCB", "MLP", 2.0)));
    }

    @Test
    void badMetadataIsOneLineNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockTags.fromMetadata(Map.of("vitrt.blocks", "{not json")));
        assertTrue(e.getMessage().startsWith("metadata vitrt.blocks is not valid JSON"), e.getMessage());
        assertEquals("metadata vitrt.parts is not a JSON object", assertThrows(IllegalArgumentException.class,
                () -> BlockTags.fromMetadata(Map.of("vitrt.parts", "[1]"))).getMessage());
    }
}
