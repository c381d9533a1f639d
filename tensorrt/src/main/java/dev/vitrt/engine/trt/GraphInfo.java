package dev.vitrt.engine.trt;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.vitrt.engine.int8.TensorRtQdq;
import dev.vitrt.models.onnx.OnnxModels;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.TensorSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the builder needs to know of an ONNX graph before TensorRT sees it: inputs, outputs, tags, Q/DQ.
 *
 * @param model    {@code vitrt.model} from the metadata, else the file's name
 * @param inputs   graph inputs (initializers excluded); -1 for symbolic dimensions
 * @param outputs  graph outputs
 * @param metadata metadata_props
 * @param hasQdq   whether any QuantizeLinear/DequantizeLinear node is there
 */
public record GraphInfo(String model, List<TensorSpec> inputs, List<TensorSpec> outputs,
                 Map<String, String> metadata, boolean hasQdq) {

    public static GraphInfo of(ModelProto m, String fallbackName) {
        ModelMetadata meta = OnnxModels.metadata(m);
        return new GraphInfo(meta.model().orElse(fallbackName), OnnxModels.inputs(m, fallbackName),
                OnnxModels.outputs(m, fallbackName), meta.asMap(), TensorRtQdq.hasQdq(m));
    }

    /** Hex SHA-256 of bytes. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
