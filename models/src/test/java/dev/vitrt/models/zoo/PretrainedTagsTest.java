package dev.vitrt.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tags as timm's pretrained configs (commit aa4b5850c154) define them; the figures are copied from its default_cfgs. */
class PretrainedTagsTest {
    @Test
    void aTagSetsTheEvaluationSettingsOfItsWeights() {
        ZooEntry e = Zoo.get("nextvit_small.bd_in1k_384");
        assertEquals("nextvit_small", e.name());
        assertEquals("bd_in1k_384", e.tag());
        assertEquals("nextvit_small.bd_in1k_384", e.fullName());
        assertEquals(384, e.inputSize());
        assertEquals(1.0, e.preprocessing().cropPct());
        assertEquals("bicubic", e.preprocessing().interpolation());
        assertEquals(0.485f, e.preprocessing().mean()[0]);

        ZooEntry mv = Zoo.get("mobilevitv2_150.cvnets_in22k_ft_in1k_384");
        assertEquals(384, mv.inputSize());
        assertEquals(1.0, mv.preprocessing().cropPct());
        assertEquals(0f, mv.preprocessing().mean()[1]);
        assertEquals(1f, mv.preprocessing().std()[1]);

        ZooEntry rn = Zoo.get("resnet50.tv2_in1k"); // test_input_size 224, test_crop_pct 0.965, bilinear
        assertEquals(224, rn.inputSize());
        assertEquals(0.965, rn.preprocessing().cropPct());
        assertEquals("bilinear", rn.preprocessing().interpolation());
        assertEquals(288, Zoo.get("resnet50.a1_in1k").inputSize());
    }

    @Test
    void aBareNameKeepsTheModelsDefaults() {
        ZooEntry e = Zoo.get("mobilevitv2_050");
        assertNull(e.tag());
        assertEquals(256, e.inputSize());
        assertEquals(0.888, e.preprocessing().cropPct());
    }

    @Test
    void tagsAreListedPerModelInTimmsOrder() {
        List<String> tags = Zoo.tags("nextvit_base").stream().map(PretrainedTag::tag).toList();
        assertEquals(List.of("bd_in1k", "bd_in1k_384", "bd_ssld_6m_in1k", "bd_ssld_6m_in1k_384"), tags);
        assertEquals(3, Zoo.tags("mobilevitv2_200").size());
        assertEquals(1, Zoo.tags("mobilevitv2_050").size());
        assertEquals(12 + 13 + 18, Zoo.tags().size());
        assertTrue(Zoo.contains("resnet50.fb_swsl_ig1b_ft_in1k"));
        assertEquals("timm/nextvit_base.bd_in1k", Zoo.tags("nextvit_base").get(0).hubRepository());
    }

    @Test
    void anUnknownTagListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.get("nextvit_small.in22k"));
        assertEquals("unknown pretrained tag 'in22k' of nextvit_small; its tags: bd_in1k, bd_in1k_384, bd_ssld_6m_in1k,"
                + " bd_ssld_6m_in1k_384", e.getMessage());
    }

    @Test
    void theTagGoesIntoTheGraphsMetadata() throws Exception {
        ExportedModel m = Exporter.export("mobilevitv2_150.cvnets_in22k_ft_in1k_384", ExportOptions.defaults().withInputSize(64));
        assertEquals("mobilevitv2_150.cvnets_in22k_ft_in1k_384", m.graph().metadata.get("vitrt.pretrained_tag"));
        assertEquals("1.0", m.graph().metadata.get("vitrt.crop_pct"));
        assertEquals("imagenet-1k", m.graph().metadata.get("vitrt.class_names"));
        ExportedModel full = Exporter.export("resnet50.a1_in1k", ExportOptions.defaults());
        assertEquals("288", full.graph().metadata.get("vitrt.input_size"));
    }
}
