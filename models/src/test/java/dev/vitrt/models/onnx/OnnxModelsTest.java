package dev.vitrt.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxModelsTest {
    @Test
    void elementTypesAreTheOnnxProtoClassesCodes() {
        for (TensorProto.DataType d : TensorProto.DataType.values()) {
            ElementType t = ElementType.fromOnnx(d.getNumber());
            assertEquals(d.name().toLowerCase(java.util.Locale.ROOT), t.onnxName(), d.name());
        }
    }

    @Test
    void describesInputsAndOutputsWithoutInitializers() {
        ModelProto m = ModelProto.newBuilder().setGraph(GraphProto.newBuilder()
                .addInput(value("input", TensorProto.DataType.FLOAT_VALUE, "batch", 3L, null, 224L))
                .addInput(value("w", TensorProto.DataType.FLOAT16_VALUE, 8L))
                .addInitializer(TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT16_VALUE))
                .addOutput(value("ids", TensorProto.DataType.INT64_VALUE, "batch", 0L))).build();
        List<TensorSpec> in = OnnxModels.inputs(m, "m.onnx");
        assertEquals(List.of(new TensorSpec("input", ElementType.FLOAT32, -1, 3, -1, 224)), in);
        assertArrayEquals(new String[] {"batch", null, null, null}, in.get(0).dimNames());
        assertEquals("input [dtype=float32, shape=(batch, 3, ?, 224)]", in.get(0).toString());
        assertEquals(List.of(new TensorSpec("ids", ElementType.INT64, -1, 0)), OnnxModels.outputs(m, "m.onnx"));

        ModelProto seq = ModelProto.newBuilder().setGraph(GraphProto.newBuilder().addInput(ValueInfoProto.newBuilder()
                .setName("s").setType(TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.getDefaultInstance()))))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxModels.inputs(seq, "s.onnx"));
        assertEquals("s.onnx: input 's' is not a tensor", e.getMessage());
        ModelProto future = ModelProto.newBuilder().setGraph(GraphProto.newBuilder()
                .addInput(value("x", 99, 1L))).build();
        e = assertThrows(IllegalArgumentException.class, () -> OnnxModels.inputs(future, "f.onnx"));
        assertEquals("f.onnx: input 'x': unknown ONNX element type 99", e.getMessage());
    }

    /** A tensor value; a String dimension is a dim_param, null one with neither value nor param. */
    private static ValueInfoProto value(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder b = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String p) {
                b.setDimParam(p);
            } else if (d instanceof Long v) {
                b.setDimValue(v);
            }
            s.addDim(b);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))).build();
    }
}
