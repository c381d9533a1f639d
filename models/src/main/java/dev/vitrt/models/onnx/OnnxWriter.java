package dev.vitrt.models.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.Initializer;
import dev.vitrt.models.graph.Node;
import dev.vitrt.models.graph.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/** Serialises a {@link Graph} as an ONNX {@code ModelProto}. */
public final class OnnxWriter {
    public static final String PRODUCER = "vitrt";
    public static final String BATCH_DIM = "batch";
    /** Names of the input's height and width when they are dynamic. */
    public static final String HEIGHT_DIM = "height";
    public static final String WIDTH_DIM = "width";
    private static final String[] SIZE_DIMS = {HEIGHT_DIM, WIDTH_DIM};
    private static final String[] UNKNOWN_SIZE = {"", ""};

    private OnnxWriter() {
    }

    /**
     * The ONNX IR version of the ONNX release that introduced a default-domain opset (onnx/onnx's versioning table):
     * 1.8 and 1.9 (opsets 13, 14) wrote IR 7; 1.10 to 1.13 (opsets 15 to 18) IR 8; 1.14 and 1.15 (19, 20) IR 9;
     * 1.16 and 1.17 (21, 22) IR 10; newer IR 11. Runtimes built on an older ONNX reject a newer IR version.
     */
    public static long irVersionFor(int opset) {
        if (opset <= 14) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        if (opset <= 20) {
            return 9;
        }
        if (opset <= 22) {
            return 10;
        }
        return 11;
    }

    public static void write(Graph g, OutputStream out) throws IOException {
        toProto(g).writeTo(out);
    }

    public static byte[] toBytes(Graph g) {
        return toProto(g).toByteArray();
    }

    public static OnnxMl.ModelProto toProto(Graph g) {
        OnnxMl.GraphProto.Builder gp = OnnxMl.GraphProto.newBuilder().setName(g.name);
        for (Tensor t : g.inputs) {
            gp.addInput(valueInfo(t, g.dynamicBatch, g.dynamicSize ? SIZE_DIMS : null));
        }
        for (Tensor t : g.outputs) {
            gp.addOutput(valueInfo(t, g.dynamicBatch, g.dynamicSize ? UNKNOWN_SIZE : null));
        }
        for (Node n : g.nodes) {
            gp.addNode(node(n));
        }
        for (Initializer init : g.initializers.values()) {
            gp.addInitializer(tensor(init));
        }
        if (!g.dynamicSize) { // at a dynamic size the shapes held are a nominal size's: let readers infer them
            for (Tensor t : g.values.values()) {
                gp.addValueInfo(valueInfo(t, g.dynamicBatch, null));
            }
        }
        OnnxMl.ModelProto.Builder mp = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(irVersionFor(g.opset))
                .setProducerName(PRODUCER)
                .setProducerVersion(version())
                .setGraph(gp)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(g.opset));
        for (Map.Entry<String, Integer> e : g.extraOpsets.entrySet()) {
            mp.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(e.getKey()).setVersion(e.getValue()));
        }
        for (Map.Entry<String, String> e : g.metadata.entrySet()) {
            mp.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return mp.build();
    }

    private static String version() {
        String v = OnnxWriter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * {@code spatial}: null for static H, W; else the names of dimensions 2 and 3 of a rank-4 value (empty strings
     * for unknown dimensions).
     */
    private static OnnxMl.ValueInfoProto valueInfo(Tensor t, boolean dynamicBatch, String[] spatial) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        long[] dims = t.shape();
        for (int i = 0; i < dims.length; i++) {
            OnnxMl.TensorShapeProto.Dimension.Builder d = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (i == 0 && dynamicBatch && dims.length > 1) {
                d.setDimParam(BATCH_DIM);
            } else if (spatial != null && dims.length == 4 && i >= 2) {
                if (!spatial[i - 2].isEmpty()) {
                    d.setDimParam(spatial[i - 2]);
                }
            } else {
                d.setDimValue(dims[i]);
            }
            shape.addDim(d);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(t.name())
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(t.dtype().onnxCode()).setShape(shape)))
                .build();
    }

    private static OnnxMl.NodeProto node(Node n) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(n.opType()).setName(n.name())
                .addAllInput(n.inputs()).addAllOutput(n.outputs());
        if (!n.domain().isEmpty()) {
            b.setDomain(n.domain());
        }
        for (Map.Entry<String, Object> e : n.attributes().entrySet()) {
            b.addAttribute(attribute(e.getKey(), e.getValue()));
        }
        return b.build();
    }

    static AttributeProto attribute(String name, Object v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (v instanceof Long l) {
            a.setType(AttributeProto.AttributeType.INT).setI(l);
        } else if (v instanceof Integer i) {
            a.setType(AttributeProto.AttributeType.INT).setI(i);
        } else if (v instanceof Float f) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (v instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (v instanceof long[] ls) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long l : ls) {
                a.addInts(l);
            }
        } else if (v instanceof float[] fs) {
            a.setType(AttributeProto.AttributeType.FLOATS);
            for (float f : fs) {
                a.addFloats(f);
            }
        } else if (v instanceof String[] ss) {
            a.setType(AttributeProto.AttributeType.STRINGS);
            for (String s : ss) {
                a.addStrings(ByteString.copyFromUtf8(s));
            }
        } else if (v instanceof Initializer t) {
            a.setType(AttributeProto.AttributeType.TENSOR).setT(tensor(t));
        } else {
            throw new IllegalArgumentException("attribute " + name + " has unsupported type " + v.getClass());
        }
        return a.build();
    }

    static TensorProto tensor(Initializer init) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(init.name()).setDataType(init.dtype().onnxCode());
        for (long d : init.shape()) {
            t.addDims(d);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (init.numel() * init.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
        switch (init.dtype()) {
            case FLOAT32 -> buf.asFloatBuffer().put(init.floats());
            case FLOAT16 -> {
                for (float f : init.floats()) {
                    buf.putShort(Float16.fromFloat(f));
                }
            }
            case INT64 -> buf.asLongBuffer().put(init.longs());
            case INT32 -> {
                for (long l : init.longs()) {
                    buf.putInt((int) l);
                }
            }
            case INT8, UINT8, BOOL -> buf.put(init.bytes());
            default -> throw new IllegalArgumentException("cannot write initializer of type " + init.dtype());
        }
        return t.setRawData(UnsafeByteOperations.unsafeWrap(buf.array())).build();
    }

    static boolean isFloat(ElementType d) {
        return d == ElementType.FLOAT32 || d == ElementType.FLOAT16;
    }
}
