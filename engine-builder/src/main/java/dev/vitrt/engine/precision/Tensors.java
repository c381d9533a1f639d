package dev.vitrt.engine.precision;

import dev.vitrt.models.onnx.Float16;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads float32 and float16 ONNX tensors, whichever field (raw or typed) holds their data. */
final class Tensors {
    private Tensors() {
    }

    /** The tensor's values as floats (float16 values widened exactly). */
    static float[] floats(TensorProto t) {
        long count = 1;
        for (long d : t.getDimsList()) {
            count *= d;
        }
        int n = Math.toIntExact(count);
        float[] out = new float[n];
        if (t.getDataType() == DataType.FLOAT_VALUE) {
            if (!t.getRawData().isEmpty()) {
                checkSize(t, t.getRawData().size(), 4L * n);
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            } else {
                checkSize(t, t.getFloatDataCount(), n);
                for (int i = 0; i < n; i++) {
                    out[i] = t.getFloatData(i);
                }
            }
        } else if (t.getDataType() == DataType.FLOAT16_VALUE) {
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
            throw new IllegalArgumentException("tensor '" + t.getName() + "' has ONNX data type " + t.getDataType()
                    + ", expected float32 or float16");
        }
        return out;
    }

    private static void checkSize(TensorProto t, long have, long want) {
        if (have != want) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' holds " + have + " data entries for "
                    + "dims " + t.getDimsList() + " (expected " + want + ")");
        }
    }
}
