package dev.vitrt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.TensorInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ElementTypeTest {

    /** Lines of a reference list in test resources ({@code dtypes/README.md} says where each comes from). */
    static List<String[]> lines(String resource) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ElementTypeTest.class.getResourceAsStream("/dtypes/" + resource), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    out.add(line.trim().split("\\s*=\\s*|\\s+"));
                }
            }
        }
        return out;
    }

    @Test
    void onnxCodesAndNamesAreOnnxProtos() throws IOException {
        Map<String, Integer> onnx = new LinkedHashMap<>();
        for (String[] l : lines("onnx-tensorproto-datatype.txt")) {
            onnx.put(l[0], Integer.parseInt(l[1]));
        }
        assertEquals(onnx.size(), ElementType.values().length, "one element type per ONNX data type");
        for (Map.Entry<String, Integer> e : onnx.entrySet()) {
            ElementType t = ElementType.fromOnnx(e.getValue());
            assertEquals(e.getValue(), t.onnxCode());
            assertEquals(e.getKey().toLowerCase(Locale.ROOT), t.onnxName(), e.getKey());
            assertEquals(t, ElementType.parse(e.getKey()).orElseThrow(), "ONNX's name parses: " + e.getKey());
        }
        assertThrows(IllegalArgumentException.class, () -> ElementType.fromOnnx(onnx.size()));
        assertThrows(IllegalArgumentException.class, () -> ElementType.fromOnnx(-1));
    }

    @Test
    void everyOnnxRuntimeElementTypeHasOne() {
        for (TensorInfo.OnnxTensorType t : TensorInfo.OnnxTensorType.values()) {
            String onnxName = t.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "").toLowerCase(Locale.ROOT);
            assertEquals(onnxName, ElementType.parse(onnxName).orElseThrow(() -> new AssertionError(t)).onnxName());
        }
    }

    @Test
    void numpyDescrSizeAndNameAreNumpys() throws IOException {
        int withDescr = 0;
        for (String[] l : lines("numpy-dtypes.txt")) { // name descr itemsize
            ElementType t = ElementType.parse(l[0]).orElseThrow();
            assertEquals(l[0], t.displayName(), "the display name is NumPy's");
            assertEquals(Optional.of(l[1]), t.numpyDescr(), l[0]);
            assertEquals(Integer.parseInt(l[2]), t.bytes(), l[0]);
            assertEquals(Optional.of(t), ElementType.fromNumpyDescr(l[1]));
            assertEquals(Optional.of(t), ElementType.fromNumpyDescr(">" + l[1].substring(1)), "any byte order");
            withDescr++;
        }
        assertEquals(withDescr, java.util.Arrays.stream(ElementType.values())
                .filter(t -> t.numpyDescr().isPresent()).count(), "every descr is in NumPy's list");
        assertEquals(Optional.empty(), ElementType.fromNumpyDescr("<V2"));
        assertEquals(Optional.empty(), ElementType.fromNumpyDescr("f4"));
    }

    @Test
    void displayNamesRoundTripAndLegacyNamesParse() {
        for (ElementType t : ElementType.values()) {
            assertEquals(t, ElementType.parse(t.displayName()).orElseThrow(), t.name());
            assertEquals(t, ElementType.parse(t.toString().toUpperCase(Locale.ROOT)).orElseThrow());
            assertEquals(t, ElementType.fromOnnx(t.onnxCode()));
        }
        assertEquals("bfloat16", ElementType.BFLOAT16.toString());
        assertEquals("float8_e4m3fn", ElementType.FLOAT8_E4M3FN.toString(), "ml_dtypes' name");
        assertEquals(ElementType.FLOAT32, ElementType.parse("float").orElseThrow(), "ONNX Runtime's name");
        assertEquals(ElementType.FLOAT64, ElementType.parse("double").orElseThrow());
        assertEquals(ElementType.FLOAT8_E4M3FN, ElementType.parse("fp8").orElseThrow(), "old manifests' kFP8");
        assertEquals(ElementType.FLOAT8_E4M3FN, ElementType.parse("Float8E4M3FN").orElseThrow());
        assertEquals(Optional.empty(), ElementType.parse("float33"));
        assertEquals("float64", ElementType.displayNameOfOnnx(11));
        assertEquals("ONNX type 99", ElementType.displayNameOfOnnx(99));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElementType.parse("type99", "input 'x'"));
        assertTrue(e.getMessage().startsWith("input 'x': unknown element type 'type99'"), e.getMessage());
    }

    @Test
    void sizesCountPackedTypes() {
        assertEquals(4, ElementType.FLOAT32.bytes());
        assertEquals(2, ElementType.BFLOAT16.bytes());
        assertEquals(1, ElementType.FLOAT8_E4M3FN.bytes());
        assertEquals(4, ElementType.INT4.bits());
        assertEquals(3, ElementType.INT4.bytes(5), "two 4-bit values a byte, the last one padded");
        assertEquals(2, ElementType.UINT2.bytes(7));
        assertEquals(4L * 3 * 224 * 224, ElementType.FLOAT32.bytes(3L * 224 * 224));
        assertThrows(UnsupportedOperationException.class, ElementType.INT4::bytes);
        assertThrows(UnsupportedOperationException.class, () -> ElementType.STRING.bytes(1));
        assertTrue(ElementType.BFLOAT16.isFloatingPoint() && ElementType.FLOAT8_E5M2.isFloatingPoint());
        assertFalse(ElementType.INT8.isFloatingPoint() || ElementType.BOOL.isFloatingPoint());
    }
}
