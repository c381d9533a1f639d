package dev.vitrt.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

/** The listing's rows and JSON carry timm's figures: parameters as timm counts them, its pretrained configs. */
class ZooListingTest {
    @Test
    void aModelsRowAndJsonCarryTimmsParameterCount() {
        ExportedModel m = Exporter.describe(Zoo.get("mobilevitv2_050"));
        ArrayNode arr = new ObjectMapper().createArrayNode();
        ZooListing.addModel(arr, m);
        JsonNode o = arr.get(0);
        assertEquals(1_370_593L, o.get("params").asLong()); // timm's mobilevitv2_050
        assertEquals(256, o.get("input_size").asInt());
        assertEquals("mobilevitv2_050", o.get("name").asText());
        assertEquals(o.get("gmacs"), o.get("gflops"));
        assertTrue(o.get("nodes").asInt() > 0 && o.get("deploy_gmacs").asDouble() > 0, o.toString());
        String row = ZooListing.modelRow(m);
        assertTrue(row.startsWith("mobilevitv2_050 ") && row.contains("1,370,593"), row);
        assertEquals(ZooListing.MODEL_HEADER.indexOf("params") + "params".length(), row.indexOf("1,370,593")
                + "1,370,593".length(), "the count is right-aligned under its header\n" + ZooListing.MODEL_HEADER
                + "\n" + row);
    }

    @Test
    void aTagsRowAndJsonCarryTimmsPretrainedConfig() {
        PretrainedTag t = Zoo.tags("resnet50").stream().filter(x -> x.tag().equals("tv2_in1k")).findFirst().orElseThrow();
        ArrayNode arr = new ObjectMapper().createArrayNode();
        ZooListing.addTag(arr, t);
        JsonNode o = arr.get(0);
        assertEquals("resnet50.tv2_in1k", o.get("name").asText());
        assertEquals(0.965, o.get("crop_pct").asDouble()); // timm: test_crop_pct 0.965, bilinear
        assertEquals("bilinear", o.get("interpolation").asText());
        assertEquals(0.485, o.get("mean").get(0).asDouble(), 1e-6);
        assertEquals(0.229, o.get("std").get(0).asDouble(), 1e-6);
        assertEquals("timm/resnet50.tv2_in1k", o.get("hub").asText());
        assertTrue(ZooListing.tagRow(t).contains("0.485,0.456,0.406"), ZooListing.tagRow(t));
    }
}
