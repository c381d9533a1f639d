package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TritonExportCommandTest {
    private final StringWriter err = new StringWriter();

    @TempDir
    Path tmp;

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void writesTheModelDirectoryFromOptions() throws Exception {
        Path onnx = tinyGraph();
        Path repo = tmp.resolve("models");
        assertEquals(0, run("triton-export", onnx.toString(), "--repository", repo.toString(), "--max-batch", "4",
                "--instances", "3", "--instance-kind", "gpu", "--preferred-batch", "2,4", "--max-queue-delay-us", "50"),
                err.toString());
        String config = Files.readString(repo.resolve("tiny/config.pbtxt"));
        assertTrue(config.contains("max_batch_size: 4\n"), config);
        assertTrue(config.contains("preferred_batch_size: [ 2, 4 ]\n"), config);
        assertTrue(config.contains("max_queue_delay_microseconds: 50\n"), config);
        assertTrue(config.contains("count: 3\n") && config.contains("kind: KIND_GPU\n"), config);
        assertTrue(Files.isRegularFile(repo.resolve("tiny/1/model.onnx")));
    }

    @Test
    void badInputEndsInOneLine() throws Exception {
        Path onnx = tinyGraph();
        Path repo = tmp.resolve("models");
        assertEquals(2, run("triton-export", onnx.toString(), "--repository", repo.toString(), "--instance-kind", "tpu"));
        assertTrue(err.toString().contains("--instance-kind must be gpu or cpu"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("triton-export", onnx.toString(), "--repository", repo.toString(), "--preferred-batch", "9"));
        assertTrue(err.toString().contains("--preferred-batch 9 is outside 1..8"), err.toString());
        err.getBuffer().setLength(0);
        // values wrong whatever the model: usage errors, checked by the command before any export
        for (String[] bad : new String[][] {{"--max-queue-delay-us", "-1", "--max-queue-delay-us must be >= 0"},
                {"--name", "a b", "--name 'a b' is not a usable Triton model name"}, {"--max-batch", "-1", "--max-batch"}}) {
            assertEquals(2, run("triton-export", onnx.toString(), "--repository", repo.toString(), bad[0], bad[1]));
            assertTrue(err.toString().contains(bad[2]), err.toString());
            err.getBuffer().setLength(0);
        }
        assertEquals(1, run("triton-export", tmp.resolve("none.plan").toString(), "--repository", repo.toString()));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("vitrt triton-export: error: no such plan file"), err.toString());
        assertFalse(Files.exists(repo.resolve("tiny")));
    }

    @Test
    void aZooModelLandsReadableByAnotherUserAndForceAddsAVersion() throws Exception {
        Path repo = tmp.resolve("models");
        assertEquals(0, run("triton-export", "mobilevitv2_050", "--input-size", "64", "--repository", repo.toString()),
                err.toString());
        Path model = repo.resolve("mobilevitv2_050/1/model.onnx");
        Path reference = Files.createFile(tmp.resolve("reference"));
        // the zoo export is a private temporary file; the repository's copy must have the umask's mode
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(model));
        CliRun again = CliRun.of("triton-export", "mobilevitv2_050", "--input-size", "64", "--repository",
                repo.toString());
        assertEquals(1, again.exit());
        // refused before the export (the zoo name is the model's name), in one line
        assertTrue(again.oneLineError() && again.err().contains("(version 1); pass --force to add it as version 2"),
                again.err());
        assertEquals(0, run("triton-export", "mobilevitv2_050", "--input-size", "64", "--repository", repo.toString(),
                "--force"), err.toString());
        assertTrue(Files.isRegularFile(repo.resolve("mobilevitv2_050/2/model.onnx")));
        assertTrue(Files.isRegularFile(model), "version 1 stays until the server has moved on");
    }

    /** input[batch,4] -> Relu -> logits[batch,4]. */
    private Path tinyGraph() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g")
                .addInput(vi("input")).addOutput(vi("logits"))
                .addNode(NodeProto.newBuilder().setOpType("Relu").setName("head/Relu").addInput("input")
                        .addOutput("logits"));
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("vitrt.model").setValue("tiny")).build();
        Path p = tmp.resolve("tiny.onnx");
        Files.write(p, m.toByteArray());
        return p;
    }

    private static ValueInfoProto vi(String name) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(4))))).build();
    }
}
