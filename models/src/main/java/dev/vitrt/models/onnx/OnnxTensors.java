package dev.vitrt.models.onnx;

import dev.vitrt.runtime.ElementType;
import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reading and making ONNX initializers on the protobuf classes: float32 and float16 values in (raw or typed fields),
 * float32 and int8 tensors out. Shared by the passes that rewrite graphs (Q/DQ insertion, FP16 lowering).
 */
public final class OnnxTensors {
    private OnnxTensors() {
    }

    /** Number of elements of a tensor with these dims. */
    public static long elements(java.util.List<Long> dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** True for the element types {@link #floats} reads. */
    public static boolean isFloating(int dataType) {
        return dataType == TensorProto.DataType.FLOAT_VALUE || dataType == TensorProto.DataType.FLOAT16_VALUE;
    }

    /**
     * The values of a float32 or float16 initializer as float32.
     *
     * @throws IllegalArgumentException naming the tensor for any other element type or for external data
     */
    public static float[] floats(TensorProto t) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException("initializer '" + t.getName() + "' keeps its data in an external file,"
                    + " which is not supported; re-export the model with the weights inside");
        }
        int n = Math.toIntExact(elements(t.getDimsList()));
        float[] out = new float[n];
        if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
            if (!t.getRawData().isEmpty()) {
                checkSize(t, t.getRawData().size(), 4L * n);
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            } else {
                checkSize(t, t.getFloatDataCount(), n);
                for (int i = 0; i < n; i++) {
                    out[i] = t.getFloatData(i);
                }
            }
        } else if (t.getDataType() == TensorProto.DataType.FLOAT16_VALUE) {
            if (!t.getRawData().isEmpty()) {
                checkSize(t, t.getRawData().size(), 2L * n);
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    out[i] = Float16.toFloat(b.getShort());
                }
            } else {
                checkSize(t, t.getInt32DataCount(), n);
                for (int i = 0; i < n; i++) {
                    out[i] = Float16.toFloat((short) t.getInt32Data(i));
                }
            }
        } else {
            throw new IllegalArgumentException("initializer '" + t.getName() + "' has element type "
                    + ElementType.displayNameOfOnnx(t.getDataType()) + ", expected float32 or float16");
        }
        return out;
    }

    private static void checkSize(TensorProto t, long have, long want) {
        if (have != want) {
            throw new IllegalArgumentException("initializer '" + t.getName() + "' holds " + have + " data entries for "
                    + "dims " + t.getDimsList() + " (expected " + want + ")");
        }
    }

    /** A float32 initializer. */
    public static TensorProto floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(b.array())).build();
    }

    /** An int8 initializer. */
    public static TensorProto int8Tensor(String name, long[] dims, byte[] values) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT8_VALUE)
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(values)).build();
    }

    /** The dims of a tensor as a long array. */
    public static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    private static java.util.List<Long> boxed(long[] dims) {
        java.util.List<Long> l = new java.util.ArrayList<>(dims.length);
        for (long d : dims) {
            l.add(d);
        }
        return l;
    }

    /** The int attribute {@code name} of a node, or {@code dflt}. */
    public static long intAttr(OnnxMl.NodeProto n, String name, long dflt) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    /** An int attribute. */
    public static OnnxMl.AttributeProto intAttribute(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }
}
