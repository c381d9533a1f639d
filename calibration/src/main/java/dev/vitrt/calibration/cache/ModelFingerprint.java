package dev.vitrt.calibration.cache;

import ai.onnx.proto.OnnxMl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short hash of what a calibration depends on in a model: its nodes (op, name, inputs, outputs, attributes), its
 * graph inputs and outputs, and its initializers (names, shapes and values). Two exports of the same model with the
 * same weights agree; another model, or the same one with other weights, does not.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {
    }

    /** {@code sha256:} followed by the first 16 hex digits of the digest. */
    public static String of(OnnxMl.ModelProto model) {
        MessageDigest md = sha256();
        OnnxMl.GraphProto g = model.getGraph();
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            text(md, "in", v.getName());
        }
        for (OnnxMl.ValueInfoProto v : g.getOutputList()) {
            text(md, "out", v.getName());
        }
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            text(md, "node", n.getDomain() + ":" + n.getOpType(), n.getName());
            text(md, "i");
            text(md, n.getInputList().toArray(new String[0]));
            text(md, "o");
            text(md, n.getOutputList().toArray(new String[0]));
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                md.update(a.toByteArray());
            }
        }
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            text(md, "init", t.getName(), Integer.toString(t.getDataType()), t.getDimsList().toString());
            // the values whatever field holds them
            md.update(t.toBuilder().clearName().clearDocString().build().toByteArray());
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    private static void text(MessageDigest md, String... parts) {
        for (String p : parts) {
            md.update(p.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
