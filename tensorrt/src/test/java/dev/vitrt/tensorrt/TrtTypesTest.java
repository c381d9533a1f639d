package dev.vitrt.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.ElementType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.junit.jupiter.api.Test;

class TrtTypesTest {
    /** TensorRT's DataType names and values from NvInferRuntimeBase.h (test resource dtypes/, see its README). */
    static Map<String, Integer> header() throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String[] l : DtypeLists.lines("tensorrt-nvinfer-datatype.txt")) {
            out.put(l[0], Integer.parseInt(l[1]));
        }
        return out;
    }

    /** What each of TensorRT's types is, from the header's comments on them. */
    private static final Map<String, ElementType> MEANING = Map.ofEntries(
            Map.entry("kFLOAT", ElementType.FLOAT32), Map.entry("kHALF", ElementType.FLOAT16),
            Map.entry("kINT8", ElementType.INT8), Map.entry("kINT32", ElementType.INT32),
            Map.entry("kBOOL", ElementType.BOOL), Map.entry("kUINT8", ElementType.UINT8),
            Map.entry("kFP8", ElementType.FLOAT8_E4M3FN), Map.entry("kBF16", ElementType.BFLOAT16),
            Map.entry("kINT64", ElementType.INT64), Map.entry("kINT4", ElementType.INT4),
            Map.entry("kFP4", ElementType.FLOAT4_E2M1FN), Map.entry("kE8M0", ElementType.FLOAT8_E8M0FNU));

    @Test
    void everyTensorRtTypeMapsBothWaysAsTheHeaderNumbersIt() throws IOException {
        Map<String, Integer> header = header();
        assertEquals(MEANING.keySet(), header.keySet(), "a meaning for each of the header's types");
        for (Map.Entry<String, Integer> e : header.entrySet()) {
            ElementType t = MEANING.get(e.getKey());
            assertEquals(Optional.of(t), TrtTypes.elementType(e.getValue()), e.getKey());
            DataType d = TrtTypes.dataType(t).orElseThrow();
            assertEquals(e.getKey(), d.name(), "the presets' enum agrees with the header");
            assertEquals((int) e.getValue(), d.value);
            assertEquals(t, TrtTypes.elementType(d));
        }
        assertEquals(header.size(), DataType.values().length, "the presets have no type the header lacks");
        assertEquals(Optional.empty(), TrtTypes.elementType(header.size()));
        assertEquals(Optional.empty(), TrtTypes.dataType(ElementType.FLOAT64), "TensorRT has no float64");
        assertTrue(TrtTypes.dataType(ElementType.STRING).isEmpty());
    }
}
