package dev.vitrt.engine.triton;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.BatchRange;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vitrt.engine.precision.TinyGraphs;
import dev.vitrt.engine.triton.Pbtxt.Ident;
import dev.vitrt.tensorrt.PlanManifest;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class TritonExporterTest {

    @TempDir
    Path tmp;

    /** What a config must say, field by field; null dynamic batching means the field must be absent. */
    record Expected(String name, String platform, long maxBatch, List<T> inputs, List<T> outputs,
                    List<Long> preferred, Long delayMicros, long count, String kind) {
    }

    /** An expected input or output. */
    record T(String name, String type, long[] dims) {
    }

    private static T t(String name, String type, long... dims) {
        return new T(name, type, dims);
    }

    @Test
    void onnxWithDynamicBatchGetsMaxBatchAndDimsWithoutBatch() throws IOException {
        Path onnx = write(TinyGraphs.mlp(), "mlp.onnx");
        Path repo = tmp.resolve("repo");
        TritonExporter.Exported e = TritonExporter.export(onnx, repo,
                new TritonExportOptions(null, 16, 2, TritonModelConfig.Kind.KIND_GPU, null, 250, false));

        assertEquals(repo.toAbsolutePath().resolve("tiny_mlp"), e.modelDirectory());
        assertTree(repo, "tiny_mlp/config.pbtxt", "tiny_mlp/1/model.onnx");
        assertArrayEquals(Files.readAllBytes(onnx), Files.readAllBytes(repo.resolve("tiny_mlp/1/model.onnx")));
        if (Files.getFileStore(repo).supportsFileAttributeView("posix")) {
            assertTrue(Files.getPosixFilePermissions(e.modelDirectory())
                    .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ), "model dir readable by the server");
        }
        check(repo.resolve("tiny_mlp/config.pbtxt"), new Expected("tiny_mlp", "onnxruntime_onnx", 16,
                List.of(t("input", "TYPE_FP32", 8)), List.of(t("logits", "TYPE_FP32", 4)),
                List.of(16L), 250L, 2, "KIND_GPU"));
    }

    @Test
    void onnxDefaultsAreCpuInstancesAndMaxBatchEight() throws IOException {
        Path onnx = write(graph("net", TensorProto.DataType.FLOAT16_VALUE, new long[] {-1, 3, 32, 32},
                new long[] {-1, 10}), "some_file.onnx");
        Path repo = tmp.resolve("repo");
        TritonExporter.export(onnx, repo, TritonExportOptions.defaults());
        check(repo.resolve("net/config.pbtxt"), new Expected("net", "onnxruntime_onnx", 8,
                List.of(t("input", "TYPE_FP16", 3, 32, 32)), List.of(t("logits", "TYPE_FP16", 10)),
                List.of(8L), 100L, 1, "KIND_CPU"));
    }

    @Test
    void onnxWithFixedBatchGetsMaxBatchZeroAndFullDims() throws IOException {
        Path onnx = write(graph(null, TensorProto.DataType.FLOAT_VALUE, new long[] {1, 3, 64, 64},
                new long[] {1, 1000}), "fixed.onnx");
        Path repo = tmp.resolve("repo");
        TritonExporter.export(onnx, repo, TritonExportOptions.defaults());
        check(repo.resolve("fixed/config.pbtxt"), new Expected("fixed", "onnxruntime_onnx", 0,
                List.of(t("input", "TYPE_FP32", 1, 3, 64, 64)), List.of(t("logits", "TYPE_FP32", 1, 1000)),
                null, null, 1, "KIND_CPU"));

        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> TritonExporter.export(onnx,
                tmp.resolve("repo2"), new TritonExportOptions(null, 4, 1, null, null, 100, false)));
        assertTrue(ex.getMessage().contains("maxBatch 4 needs a dynamic batch dimension"), ex.getMessage());
        assertFalse(Files.exists(tmp.resolve("repo2/fixed")));
    }

    @Test
    void planManifestGivesPlatformBatchRangeAndGpuInstances() throws IOException {
        Path plan = tmp.resolve("mvit.plan");
        byte[] bytes = planBytes(4096);
        Files.write(plan, bytes);
        manifest(new long[] {-1, 3, 256, 256}, new long[] {-1, 1000}, new BatchRange(1, 8, 32),
                "float16").writeFor(plan);
        Path repo = tmp.resolve("repo");
        TritonExporter.export(plan, repo, new TritonExportOptions(null, null, 3, null, null, 500, false));

        assertTree(repo, "mobilevitv2_050/config.pbtxt", "mobilevitv2_050/1/model.plan",
                "mobilevitv2_050/1/model.plan.json");
        assertArrayEquals(bytes, Files.readAllBytes(repo.resolve("mobilevitv2_050/1/model.plan")));
        check(repo.resolve("mobilevitv2_050/config.pbtxt"), new Expected("mobilevitv2_050", "tensorrt_plan", 32,
                List.of(t("input", "TYPE_FP16", 3, 256, 256)), List.of(t("logits", "TYPE_FP16", 1000)),
                List.of(8L, 32L), 500L, 3, "KIND_GPU"));
        String text = Files.readString(repo.resolve("mobilevitv2_050/config.pbtxt"));
        assertTrue(text.contains("TensorRT 11.2.1"), text);
    }

    @Test
    void planWithFixedBatchAndPlanLimits() throws IOException {
        Path plan = tmp.resolve("fixed.plan");
        Files.write(plan, planBytes(8));
        manifest(new long[] {4, 3, 224, 224}, new long[] {4, 1000}, new BatchRange(4, 4, 4), "float32")
                .writeFor(plan);
        Path repo = tmp.resolve("repo");
        TritonExporter.export(plan, repo, new TritonExportOptions("fixed4", null, 1, null, null, 100, false));
        check(repo.resolve("fixed4/config.pbtxt"), new Expected("fixed4", "tensorrt_plan", 0,
                List.of(t("input", "TYPE_FP32", 4, 3, 224, 224)), List.of(t("logits", "TYPE_FP32", 4, 1000)),
                null, null, 1, "KIND_GPU"));

        Path dyn = tmp.resolve("dyn.plan");
        Files.write(dyn, planBytes(8));
        manifest(new long[] {-1, 3, 224, 224}, new long[] {-1, 1000}, new BatchRange(1, 4, 16), "float32")
                .writeFor(dyn);
        IllegalArgumentException over = assertThrows(IllegalArgumentException.class, () -> TritonExporter.export(dyn,
                repo, new TritonExportOptions("d", 64, 1, null, null, 100, false)));
        assertTrue(over.getMessage().contains("maxBatch 64 is above the plan's largest batch 16"), over.getMessage());
        IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class, () -> TritonExporter.export(dyn,
                repo, new TritonExportOptions("d", null, 1, TritonModelConfig.Kind.KIND_CPU, null, 100, false)));
        assertTrue(cpu.getMessage().contains("GPU only; use kind KIND_GPU"), cpu.getMessage());

        Path min2 = tmp.resolve("min2.plan");
        Files.write(min2, planBytes(8));
        manifest(new long[] {-1, 3, 224, 224}, new long[] {-1, 1000}, new BatchRange(2, 4, 8), "float32")
                .writeFor(min2);
        IllegalArgumentException min = assertThrows(IllegalArgumentException.class, () -> TritonExporter.export(min2,
                repo, TritonExportOptions.defaults()));
        assertTrue(min.getMessage().contains("rebuild it with batch range 1:4:8"), min.getMessage());
        assertTree(repo, "fixed4/config.pbtxt", "fixed4/1/model.plan", "fixed4/1/model.plan.json");
    }

    @Test
    void planWithoutManifestFailsInOneLine() throws IOException {
        Path plan = tmp.resolve("bare.plan");
        Files.write(plan, planBytes(8));
        IOException e = assertThrows(IOException.class, () -> TritonExporter.export(plan, tmp.resolve("repo"),
                TritonExportOptions.defaults()));
        assertTrue(e.getMessage().startsWith("no manifest beside"), e.getMessage());
    }

    @Test
    void anExistingModelGetsANewVersionNotAReplacement() throws IOException {
        Path onnx = write(TinyGraphs.mlp(), "mlp.onnx");
        Path repo = tmp.resolve("repo");
        TritonExporter.export(onnx, repo, TritonExportOptions.defaults());
        FileAlreadyExistsException refused = assertThrows(FileAlreadyExistsException.class,
                () -> TritonExporter.export(onnx, repo, new TritonExportOptions(null, 2, 1, null, null, 100, false)));
        assertTrue(refused.getMessage().contains("(version 1); pass newVersion to add it as version 2"),
                refused.getMessage());
        assertEquals(8L, Pbtxt.parse(Files.readString(repo.resolve("tiny_mlp/config.pbtxt")))
                .get("max_batch_size").get(0));
        long firstModified = Files.getLastModifiedTime(repo.resolve("tiny_mlp/1/model.onnx")).toMillis();
        String firstConfig = Files.readString(repo.resolve("tiny_mlp/config.pbtxt"));

        // same configuration: only a version directory appears, config.pbtxt is left alone (no reload for it)
        TritonExporter.Exported same = TritonExporter.export(onnx, repo, new TritonExportOptions(null, null, 1, null,
                null, 100, true));
        assertEquals(2, same.version());
        assertFalse(same.configChanged());
        assertEquals(firstConfig, Files.readString(repo.resolve("tiny_mlp/config.pbtxt")));

        // another configuration: version 3, and config.pbtxt rewritten; the earlier versions stay as they were
        TritonExporter.Exported other = TritonExporter.export(onnx, repo, new TritonExportOptions(null, 2, 1, null,
                List.of(1, 2), 100, true));
        assertEquals(3, other.version());
        assertTrue(other.configChanged());
        check(repo.resolve("tiny_mlp/config.pbtxt"), new Expected("tiny_mlp", "onnxruntime_onnx", 2,
                List.of(t("input", "TYPE_FP32", 8)), List.of(t("logits", "TYPE_FP32", 4)),
                List.of(1L, 2L), 100L, 1, "KIND_CPU"));
        assertTree(repo, "tiny_mlp/config.pbtxt", "tiny_mlp/1/model.onnx", "tiny_mlp/2/model.onnx",
                "tiny_mlp/3/model.onnx");
        assertEquals(firstModified, Files.getLastModifiedTime(repo.resolve("tiny_mlp/1/model.onnx")).toMillis());
        assertNoStagingLeft(repo);
    }

    @Test
    void stagingHappensOutsideTheRepositoryAndFilesGetTheUmask() throws IOException {
        Path onnx = write(TinyGraphs.mlp(), "mlp.onnx");
        Files.setPosixFilePermissions(onnx, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        TritonModelConfig config = TritonExporter.configForOnnx(onnx, TritonExportOptions.defaults());
        TritonRepository.Written w = TritonRepository.writeModel(repo, config, onnx, List.of(), false);
        assertFalse(w.staging().startsWith(repo.toAbsolutePath()), "staged in " + w.staging());
        assertFalse(Files.exists(w.staging()), "staging folder removed");
        Path referenceFile = Files.createFile(tmp.resolve("reference"));
        Path referenceDir = Files.createDirectory(tmp.resolve("reference-dir"));
        for (String f : new String[] {"tiny_mlp/config.pbtxt", "tiny_mlp/1/model.onnx"}) {
            assertEquals(Files.getPosixFilePermissions(referenceFile), Files.getPosixFilePermissions(repo.resolve(f)),
                    f + " has the umask's mode, not the 0600 of the source or of a temporary file");
        }
        for (String d : new String[] {"tiny_mlp", "tiny_mlp/1"}) {
            assertEquals(Files.getPosixFilePermissions(referenceDir), Files.getPosixFilePermissions(repo.resolve(d)), d);
        }
        assertNoStagingLeft(repo);
    }

    @Test
    void modelNamesFromManifestsAndGraphsAreCheckedLikeName() throws IOException {
        Path repo = tmp.resolve("repo");
        for (String bad : new String[] {"..", ".", "../escape", "quote\"d", "new\nline", ".hidden", ""}) {
            Path plan = tmp.resolve("p.plan");
            Files.write(plan, planBytes(64));
            new PlanManifest(PlanManifest.FORMAT, bad, "fp32", List.of(new TensorSpec("input", ElementType.FLOAT32,
                    new long[] {-1, 3, 8, 8})), List.of(new TensorSpec("logits", ElementType.FLOAT32, new long[] {-1, 2})),
                    new BatchRange(1, 1, 4), "10.15.1", "gpu", "9.0", "none", "ab".repeat(32), "x.onnx",
                    Map.of(), "2025-01-01T00:00:00Z").writeFor(plan);
            if (bad.isEmpty()) {
                // no model name: the file's stem, which is fine
                TritonExporter.export(plan, repo, TritonExportOptions.defaults());
                continue;
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TritonExporter.export(plan, repo, TritonExportOptions.defaults()), bad);
            assertTrue(e.getMessage().contains("the model name from the manifest")
                    && e.getMessage().contains("is not a usable Triton model name") && !e.getMessage().contains("\n"),
                    e.getMessage());
            Path onnx = write(graph(bad, TensorProto.DataType.FLOAT_VALUE, new long[] {-1, 3}, new long[] {-1, 3}),
                    "g.onnx");
            e = assertThrows(IllegalArgumentException.class,
                    () -> TritonExporter.export(onnx, repo, TritonExportOptions.defaults()), bad);
            assertTrue(e.getMessage().contains("the model name from the graph's vitrt.model metadata"), e.getMessage());
        }
        try (Stream<Path> s = Files.list(repo)) {
            assertEquals(List.of("p"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertThrows(IllegalArgumentException.class, () -> new TritonExportOptions("a\"b", null, 1, null, null, 100,
                false));
    }

    /** A Java caller sees the options' parameter names, never triton-export's flags (the CLI translates). */
    @Test
    void messagesNameTheOptionsParameters() throws IOException {
        Path onnx = write(TinyGraphs.mlp(), "mlp.onnx");
        Path repo = tmp.resolve("repo");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TritonExporter.export(onnx,
                repo, new TritonExportOptions(null, null, 1, null, List.of(9), 100, false)));
        assertEquals("preferredBatchSizes 9 is outside 1..8 (the max batch)", e.getMessage());
        for (Executable bad : List.<Executable>of(
                () -> new TritonExportOptions(null, -1, 1, null, null, 100, false),
                () -> new TritonExportOptions(null, null, 0, null, null, 100, false),
                () -> new TritonExportOptions(null, null, 1, null, null, -1, false),
                () -> new TritonExportOptions("a b", null, 1, null, null, 100, false))) {
            String m = assertThrows(IllegalArgumentException.class, bad).getMessage();
            assertTrue(m.matches("(maxBatch|instances|maxQueueDelayMicros|name) .*"), m);
        }
        Path bare = write(graph("bad name", TensorProto.DataType.FLOAT_VALUE, new long[] {-1, 3}, new long[] {-1, 3}),
                "g.onnx");
        e = assertThrows(IllegalArgumentException.class,
                () -> TritonExporter.export(bare, repo, TritonExportOptions.defaults()));
        assertTrue(e.getMessage().contains("(give a name)") && !e.getMessage().contains("--"), e.getMessage());
        Path notADirectory = Files.writeString(tmp.resolve("file"), "x");
        IOException io = assertThrows(IOException.class,
                () -> TritonExporter.export(onnx, notADirectory, TritonExportOptions.defaults()));
        assertEquals("repository is not a directory: " + notADirectory, io.getMessage());
    }

    @Test
    void aGarbagePlanWithAPlausibleManifestIsRefused() throws IOException {
        Path plan = tmp.resolve("garbage.plan");
        Files.writeString(plan, "<html>404 Not Found</html>");
        manifest(new long[] {-1, 3, 256, 256}, new long[] {-1, 1000}, new BatchRange(1, 8, 32),
                "float16").writeFor(plan);
        IOException e = assertThrows(IOException.class, () -> TritonExporter.export(plan, tmp.resolve("repo"),
                TritonExportOptions.defaults()));
        assertEquals(plan + " is not a TensorRT plan (a serialized engine starts with \"ftrt\"; this file does not)",
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("repo/mobilevitv2_050")));
    }

    @Test
    void negativeAndZeroDimsNeverReachTheConfig() throws IOException {
        Path plan = tmp.resolve("dims.plan");
        Files.write(plan, planBytes(64));
        manifest(new long[] {-1, 3, -5, 224}, new long[] {-1, 1000}, new BatchRange(1, 1, 4), "float32")
                .writeFor(plan);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TritonExporter.export(plan, tmp.resolve("repo"), TritonExportOptions.defaults()));
        assertTrue(e.getMessage().contains("input 'input' has shape [-1, 3, -5, 224]"), e.getMessage());
        manifest(new long[] {-1, 3, 224, 224}, new long[] {-1, 0}, new BatchRange(1, 1, 4), "float32")
                .writeFor(plan);
        e = assertThrows(IllegalArgumentException.class,
                () -> TritonExporter.export(plan, tmp.resolve("repo"), TritonExportOptions.defaults()));
        assertTrue(e.getMessage().contains("output 'logits' has shape [-1, 0]"), e.getMessage());
        Path onnx = write(graph("zero", TensorProto.DataType.FLOAT_VALUE, new long[] {-1, 0, 4}, new long[] {-1, 2}),
                "zero.onnx");
        e = assertThrows(IllegalArgumentException.class,
                () -> TritonExporter.export(onnx, tmp.resolve("repo"), TritonExportOptions.defaults()));
        assertTrue(e.getMessage().contains("input 'input' has shape [-1, 0, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new TritonTensor("x", TritonDataType.TYPE_FP32, new long[] {3, -2}));
    }

    @Test
    void corruptOnnxFailsWithTheFileName() throws IOException {
        Path bad = tmp.resolve("bad.onnx");
        Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xff, 0x01, 0x02});
        IOException e = assertThrows(IOException.class, () -> TritonExporter.export(bad, tmp.resolve("repo"),
                TritonExportOptions.defaults()));
        assertTrue(e.getMessage().contains("bad.onnx"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("repo/bad")));
    }

    /** The real graph a user would export: dims and types read back from the file itself. */
    @Test
    void timmPeerGraphFixture() throws IOException {
        String dir = System.getProperty("vitrt.fixtures");
        Path onnx = dir == null ? null : Path.of(dir, "mobilevitv2_050.peer.onnx");
        assumeTrue(onnx != null && Files.isRegularFile(onnx), "fixture mobilevitv2_050.peer.onnx absent");
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(onnx));
        List<T> in = new ArrayList<>();
        for (ValueInfoProto v : m.getGraph().getInputList()) {
            in.add(t(v.getName(), "TYPE_FP32", dimsWithoutBatch(v)));
        }
        List<T> out = new ArrayList<>();
        for (ValueInfoProto v : m.getGraph().getOutputList()) {
            out.add(t(v.getName(), "TYPE_FP32", dimsWithoutBatch(v)));
        }
        Path repo = tmp.resolve("repo");
        TritonExporter.export(onnx, repo, new TritonExportOptions("mobilevitv2_050", 4, 1, null, null, 100, false));
        check(repo.resolve("mobilevitv2_050/config.pbtxt"), new Expected("mobilevitv2_050", "onnxruntime_onnx", 4,
                in, out, List.of(4L), 100L, 1, "KIND_CPU"));
        assertEquals(Files.size(onnx), Files.size(repo.resolve("mobilevitv2_050/1/model.onnx")));
    }

    private static long[] dimsWithoutBatch(ValueInfoProto v) {
        List<TensorShapeProto.Dimension> d = v.getType().getTensorType().getShape().getDimList();
        assertTrue(d.get(0).hasDimParam(), v.getName() + " has a dynamic batch");
        return d.stream().skip(1).mapToLong(x -> x.hasDimValue() ? x.getDimValue() : -1).toArray();
    }

    // --- checking a parsed config against what the model says ---

    private static void check(Path config, Expected x) throws IOException {
        Map<String, List<Object>> c = Pbtxt.parse(Files.readString(config));
        Set<String> expectedFields = x.preferred == null && x.delayMicros == null
                ? Set.of("name", "platform", "max_batch_size", "input", "output", "instance_group")
                : Set.of("name", "platform", "max_batch_size", "input", "output", "dynamic_batching", "instance_group");
        assertEquals(expectedFields, c.keySet(), "fields of " + config);
        assertEquals(List.of(x.name), c.get("name"));
        assertEquals(List.of(x.platform), c.get("platform"));
        assertEquals(List.of(x.maxBatch), c.get("max_batch_size"));
        checkTensors(c.get("input"), x.inputs);
        checkTensors(c.get("output"), x.outputs);
        if (x.delayMicros != null) {
            assertEquals(1, c.get("dynamic_batching").size());
            Map<String, List<Object>> db = msg(c.get("dynamic_batching").get(0));
            List<Object> preferred = db.getOrDefault("preferred_batch_size", List.of());
            assertEquals(x.preferred, preferred);
            assertEquals(List.of(x.delayMicros), db.get("max_queue_delay_microseconds"));
        }
        assertEquals(1, c.get("instance_group").size());
        Map<String, List<Object>> g = msg(c.get("instance_group").get(0));
        assertEquals(Set.of("count", "kind"), g.keySet());
        assertEquals(List.of(x.count), g.get("count"));
        assertEquals(List.of(new Ident(x.kind)), g.get("kind"));
    }

    private static void checkTensors(List<Object> got, List<T> want) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            Map<String, List<Object>> t = msg(got.get(i));
            assertEquals(Set.of("name", "data_type", "dims"), t.keySet());
            assertEquals(List.of(want.get(i).name()), t.get("name"));
            assertEquals(List.of(new Ident(want.get(i).type())), t.get("data_type"));
            long[] dims = t.get("dims").stream().mapToLong(o -> (Long) o).toArray();
            assertArrayEquals(want.get(i).dims(), dims, "dims of " + want.get(i).name());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Object>> msg(Object o) {
        return (Map<String, List<Object>>) o;
    }

    /** Bytes that start like a serialized TensorRT engine. */
    static byte[] planBytes(int n) {
        byte[] b = new byte[Math.max(n, 4)];
        new java.util.Random(7).nextBytes(b);
        System.arraycopy("ftrt".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, 4);
        return b;
    }

    private void assertNoStagingLeft(Path repo) throws IOException {
        for (Path where : new Path[] {repo, repo.toAbsolutePath().getParent(), repo.resolve("tiny_mlp")}) {
            try (Stream<Path> s = Files.list(where)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".vitrt-staging")),
                        "staging left in " + where);
            }
        }
    }

    private void assertTree(Path repo, String... files) throws IOException {
        try (Stream<Path> s = Files.walk(repo)) {
            List<String> got = s.filter(Files::isRegularFile).map(p -> repo.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
            assertEquals(Stream.of(files).sorted().toList(), got);
        }
        try (Stream<Path> s = Files.list(repo)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "temporary directories left");
        }
    }

    // --- models ---

    private Path write(ModelProto m, String file) throws IOException {
        Path p = tmp.resolve(file);
        Files.write(p, m.toByteArray());
        return p;
    }

    /** input -> Identity -> Flatten-free graph with the given shapes; -1 means the symbolic "batch". */
    private static ModelProto graph(String model, int elemType, long[] in, long[] out) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g");
        g.addInput(vi("input", elemType, in));
        g.addOutput(vi("logits", elemType, out));
        g.addNode(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setOpType("ReduceMean").setName("head/ReduceMean")
                .addInput("input").addOutput("logits"));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17));
        if (model != null) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey("vitrt.model").setValue(model));
        }
        return m.build();
    }

    private static ValueInfoProto vi(String name, int elemType, long[] dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))).build();
    }

    private static PlanManifest manifest(long[] in, long[] out, BatchRange batch, String dtype) {
        return new PlanManifest(PlanManifest.FORMAT, "mobilevitv2_050", dtype.equals("float16") ? "fp16" : "fp32",
                List.of(new TensorSpec("input", ElementType.parse(dtype, "dtype"), in)),
                List.of(new TensorSpec("logits", ElementType.parse(dtype, "dtype"), out)),
                batch, "11.2.1", "NVIDIA H200", "9.0", "none", "ab".repeat(32), "mvit.onnx",
                Map.of("vitrt.model", "mobilevitv2_050"), "2025-01-01T00:00:00Z");
    }
}
