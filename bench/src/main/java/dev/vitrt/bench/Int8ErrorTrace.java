package dev.vitrt.bench;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vitrt.benchmark.Machine;
import dev.vitrt.calibration.Calibration;
import dev.vitrt.calibration.QuantizationReport;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.calibration.data.CalibrationData;
import dev.vitrt.calibration.data.ImageFolderData;
import dev.vitrt.calibration.qdq.NodeFilter;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.calibration.qdq.QdqTarget;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.compare.OutputComparison;
import dev.vitrt.runtime.ort.OrtEnvironments;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Where the INT8 graph's error enters and how it grows, on real images: for every float tensor of the FP32 graph, the
 * INT8 graph's value against the FP32 one on held-out images (cosine, error over the tensor's image-to-image signal),
 * and, as the yardstick, how far the FP32 logits move when the input gets Gaussian noise of 0.1% and 1% of its RMS. A
 * network that moves as much under 0.1% input noise as under INT8 amplifies any perturbation (a chaotic random
 * initialisation does); one whose tensors carry almost no image-to-image signal ({@code sig/tot} near 0) maps every
 * image to nearly the same activations, and a per-tensor 8-bit grid cannot resolve what is left. Neither is a
 * quantization fault; trained networks are neither.
 *
 * <p>Usage: {@code bench/run Int8ErrorTrace --model mobilevitv2_050 --weights W.safetensors --calib DIR --held-out DIR
 * [--samples 64] [--images 16] [--method mse] [--exclude PATTERN]... [--target ort|tensorrt] [--all]} (without
 * {@code --all}, shape-only tensors are left out).
 */
public final class Int8ErrorTrace {
    private static final Set<String> SHAPE_ONLY = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Expand",
            "Identity", "Transpose");

    private Int8ErrorTrace() {
    }

    public static void main(String[] args) throws Exception {
        String model = "mobilevitv2_050";
        Path weights = Path.of("testdata/validation/mobilevitv2_050.seed15.safetensors");
        Path calib = null;
        Path heldOut = Path.of("testdata/validation/images");
        int samples = 64;
        int images = 16;
        String method = "mse";
        boolean all = false;
        List<String> exclude = new ArrayList<>();
        QdqTarget target = QdqTarget.ORT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--weights" -> weights = Path.of(args[++i]);
                case "--calib" -> calib = Path.of(args[++i]);
                case "--held-out" -> heldOut = Path.of(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--images" -> images = Integer.parseInt(args[++i]);
                case "--method" -> method = args[++i];
                case "--all" -> all = true;
                case "--exclude" -> exclude.add(args[++i]);
                case "--target" -> target = QdqTarget.parse(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (calib == null) {
            throw new IllegalArgumentException("--calib DIR (calibration images, not the held-out ones) is required");
        }
        ExportedModel em = Exporter.export(model, ExportOptions.defaults().withWeights(weights));
        ModelProto fp32 = ModelProto.parseFrom(OnnxWriter.toBytes(em.graph()));
        Map<String, String> md = new HashMap<>();
        fp32.getMetadataPropsList().forEach(e -> md.put(e.getKey(), e.getValue()));
        ImagePreprocessor pp = ImagePreprocessor.forModel(md, em.inputSize());
        CalibrationData calibData = new ImageFolderData(calib, pp, samples);
        CalibrationData held = new ImageFolderData(heldOut, pp, images);
        images = Math.min(images, held.size());
        long t0 = System.nanoTime();
        Calibration.Quantized q = Calibration.quantize(fp32, calibData, Math.min(samples, calibData.size()), 8,
                CalibrationMethod.parse(method), 99.99, new QdqOptions(target, new NodeFilter(exclude)),
                BackendOptions.defaults(), Progress.NONE);
        System.out.printf(Locale.ROOT, "Int8ErrorTrace: %s with %s; %s layout, calibrated (%s, %d images of %s) in"
                + " %.1f s; %d held-out images of %s; %s%s%n", model, weights.getFileName(), target.id(), q.method(),
                Math.min(samples, calibData.size()), calib, (System.nanoTime() - t0) / 1e9, images, heldOut,
                Machine.loadLine(), exclude.isEmpty() ? "" : "; kept in float: " + exclude);

        List<String> names = new ArrayList<>();
        Map<String, String> op = new HashMap<>();
        for (NodeProto n : fp32.getGraph().getNodeList()) {
            if (all || !SHAPE_ONLY.contains(n.getOpType())) {
                for (String o : n.getOutputList()) {
                    names.add(o);
                    op.put(o, n.getOpType());
                }
            }
        }
        String logits = fp32.getGraph().getOutput(0).getName();
        OrtEnvironment env = OrtEnvironments.get();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession a = env.createSession(exposing(fp32, names).toByteArray(), so);
             OrtSession b = env.createSession(exposing(q.model(), names).toByteArray(), so);
             OrtSession plain = env.createSession(fp32.toByteArray(), so)) {
            String in = a.getInputNames().iterator().next();
            List<float[]> ref = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                ref.add(run(plain, in, held.batch(i, 1), null, 0, logits));
            }
            for (double rel : new double[] {1e-3, 1e-2}) {
                Random rnd = new Random(5);
                List<float[]> noisy = new ArrayList<>();
                for (int i = 0; i < images; i++) {
                    noisy.add(run(plain, in, held.batch(i, 1), rnd, rel, logits));
                }
                System.out.println("FP32, input noise " + rel + " of its RMS: " + agreement(ref, noisy));
            }
            Stats[] st = new Stats[names.size()];
            for (int k = 0; k < st.length; k++) {
                st[k] = new Stats();
            }
            List<float[]> int8 = new ArrayList<>();
            // two passes: the FP32 means over images first (the image-independent part), then the errors
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < images; i++) {
                    FloatTensor x = held.batch(i, 1);
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), x.shape());
                         OrtSession.Result ra = a.run(Map.of(in, t), new LinkedHashSet<>(names));
                         OrtSession.Result rb = pass == 0 ? null : b.run(Map.of(in, t), new LinkedHashSet<>(names))) {
                        for (int k = 0; k < st.length; k++) {
                            float[] fa = floats(ra.get(names.get(k)).orElse(null));
                            if (fa == null) {
                                continue;
                            }
                            if (pass == 0) {
                                st[k].addMean(fa, images);
                            } else {
                                float[] fb = floats(rb.get(names.get(k)).orElse(null));
                                st[k].addError(fa, fb);
                                if (names.get(k).equals(logits)) {
                                    int8.add(fb);
                                }
                            }
                        }
                    }
                }
            }
            System.out.println("INT8 logits against FP32: " + agreement(ref, int8));
            System.out.printf(Locale.ROOT, "%-64s %-22s %8s %8s %8s %8s%n", "tensor", "op", "cos mean", "cos min",
                    "err/sig", "sig/tot");
            for (int k = 0; k < st.length; k++) {
                if (st[k].n > 0) {
                    System.out.printf(Locale.ROOT, "%-64s %-22s %8.5f %8.5f %8.4f %8.4f%n", names.get(k),
                            op.get(names.get(k)), st[k].cos / st[k].n, st[k].minCos, Math.sqrt(st[k].err2 / st[k].sig2),
                            Math.sqrt(st[k].sig2 / st[k].tot2));
                }
            }
            System.out.println("err/sig: RMS of INT8 - FP32 over the RMS of the FP32 value's deviation from its mean"
                    + " over the images; sig/tot: that deviation's share of the FP32 value's RMS.");
        }
    }

    /** Per-tensor sums over images. */
    private static final class Stats {
        double[] mean;
        double cos;
        double minCos = 1;
        double err2;
        double sig2;
        double tot2;
        int n;

        void addMean(float[] a, int images) {
            if (mean == null) {
                mean = new double[a.length];
            }
            for (int j = 0; j < a.length; j++) {
                mean[j] += a[j] / (double) images;
            }
        }

        void addError(float[] a, float[] b) {
            double c = QuantizationReport.cosine(a, b);
            cos += c;
            minCos = Math.min(minCos, c);
            n++;
            for (int j = 0; j < a.length; j++) {
                double e = b[j] - a[j];
                double s = a[j] - mean[j];
                err2 += e * e;
                sig2 += s * s;
                tot2 += (double) a[j] * a[j];
            }
        }
    }

    private static String agreement(List<float[]> ref, List<float[]> other) {
        double min = 1;
        double sum = 0;
        int top1 = 0;
        for (int i = 0; i < ref.size(); i++) {
            double c = QuantizationReport.cosine(ref.get(i), other.get(i));
            min = Math.min(min, c);
            sum += c;
            float[] r = ref.get(i);
            float[] o = other.get(i);
            top1 += OutputComparison.argmax(r, 0, r.length) == OutputComparison.argmax(o, 0, o.length) ? 1 : 0;
        }
        return String.format(Locale.ROOT, "logit cosine min %.5f mean %.5f, top-1 agreement %d/%d", min,
                sum / ref.size(), top1, ref.size());
    }

    /** Output {@code name} of {@code s} on {@code x}, plus Gaussian noise of {@code rel} x its RMS when rnd is set. */
    private static float[] run(OrtSession s, String in, FloatTensor x, Random rnd, double rel, String name)
            throws OrtException {
        float[] v = x.data().clone();
        if (rnd != null) {
            double ss = 0;
            for (float f : v) {
                ss += f * f;
            }
            double sd = rel * Math.sqrt(ss / v.length);
            for (int j = 0; j < v.length; j++) {
                v[j] += (float) (rnd.nextGaussian() * sd);
            }
        }
        try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironments.get(), FloatBuffer.wrap(v), x.shape());
             OrtSession.Result r = s.run(Map.of(in, t), Set.of(name))) {
            return floats(r.get(0));
        }
    }

    private static float[] floats(OnnxValue v) {
        if (!(v instanceof OnnxTensor t) || t.getInfo().type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            return null;
        }
        FloatBuffer fb = t.getFloatBuffer();
        float[] f = new float[fb.remaining()];
        fb.get(f);
        return f;
    }

    /** {@code m} with {@code names} added to its outputs (float tensors; ONNX Runtime infers their shapes). */
    private static ModelProto exposing(ModelProto m, List<String> names) {
        GraphProto.Builder g = m.getGraph().toBuilder();
        Set<String> have = new LinkedHashSet<>();
        g.getOutputList().forEach(v -> have.add(v.getName()));
        for (String n : names) {
            if (have.add(n)) {
                g.addOutput(ValueInfoProto.newBuilder().setName(n).setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        return m.toBuilder().setGraph(g).build();
    }
}
