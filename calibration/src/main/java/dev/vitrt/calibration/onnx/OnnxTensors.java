package dev.vitrt.calibration.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reading and making ONNX initializers: float32 and float16 values in, float32 and int8 tensors out. */
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
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = t.getFloatData(i);
                }
            }
        } else if (t.getDataType() == TensorProto.DataType.FLOAT16_VALUE) {
            if (!t.getRawData().isEmpty()) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort());
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat((short) t.getInt32Data(i));
                }
            }
        } else {
            throw new IllegalArgumentException("initializer '" + t.getName() + "' has element type "
                    + TensorProto.DataType.forNumber(t.getDataType()) + ", expected float or float16");
        }
        return out;
    }

    /** IEEE 754 binary16 bits to float (Java 17 has no Float.float16ToFloat). */
    public static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // inf or NaN
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero)
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
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
