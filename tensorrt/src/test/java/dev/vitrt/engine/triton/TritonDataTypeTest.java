package dev.vitrt.engine.triton;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.tensorrt.DtypeLists;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TritonDataTypeTest {
    @Test
    void namesAndValuesAreModelConfigProtos() throws IOException {
        Map<String, Integer> proto = new LinkedHashMap<>();
        for (String[] l : DtypeLists.lines("triton-model_config-datatype.txt")) {
            proto.put(l[0], Integer.parseInt(l[1]));
        }
        proto.remove("TYPE_INVALID"); // no tensor has it
        assertEquals(proto.size(), TritonDataType.values().length, "every Triton type has its element type");
        for (Map.Entry<String, Integer> e : proto.entrySet()) {
            TritonDataType t = TritonDataType.valueOf(e.getKey());
            assertEquals((int) e.getValue(), t.protoValue(), e.getKey());
            assertEquals(t, TritonDataType.of(t.elementType(), "x"), "round trip through the element type");
        }
    }

    @Test
    void elementTypesMapAsTritonsDocsPairThem() {
        // what model_config.proto's names say each holds (TYPE_STRING is the server API's BYTES)
        assertEquals(TritonDataType.TYPE_FP32, TritonDataType.of(ElementType.FLOAT32, "x"));
        assertEquals(TritonDataType.TYPE_FP16, TritonDataType.of(ElementType.FLOAT16, "x"));
        assertEquals(TritonDataType.TYPE_BF16, TritonDataType.of(ElementType.BFLOAT16, "x"));
        assertEquals(TritonDataType.TYPE_FP64, TritonDataType.of(ElementType.FLOAT64, "x"));
        assertEquals(TritonDataType.TYPE_INT64, TritonDataType.of(ElementType.INT64, "x"));
        assertEquals(TritonDataType.TYPE_STRING, TritonDataType.of(ElementType.STRING, "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TritonDataType.of(ElementType.FLOAT8_E4M3FN, "m.plan: output 'scale'"));
        assertEquals("m.plan: output 'scale': element type float8_e4m3fn has no Triton equivalent", e.getMessage());
    }
}
