package dev.vitrt.models.reference;

import dev.vitrt.models.reference.Ref.Map3;

/** timm's resnet50 forward pass in float64 (conv1/bn1/act1/maxpool, layer1-4 of Bottlenecks, fc), unfolded BNs. */
public final class ResNetRef {
    private static final double EPS = 1e-5;
    private final RandomStateDict sd;
    private final int[] depths;

    public ResNetRef(RandomStateDict sd, int[] depths) {
        this.sd = sd;
        this.depths = depths;
    }

    public double[] forward(Map3 image) {
        Map3 x = Ref.relu(convBn(image, "conv1", "bn1", 64, 7, 2, 3));
        x = Ref.maxPool(x, 3, 2, 1);
        for (int s = 0; s < depths.length; s++) {
            int planes = 64 << s;
            for (int i = 0; i < depths[s]; i++) {
                String p = "layer" + (s + 1) + "." + i;
                int stride = i == 0 && s > 0 ? 2 : 1;
                Map3 shortcut = x;
                if (i == 0) {
                    shortcut = convBn(x, p + ".downsample.0", p + ".downsample.1", planes * 4, 1, stride, 0);
                }
                Map3 y = Ref.relu(convBn(x, p + ".conv1", p + ".bn1", planes, 1, 1, 0));
                y = Ref.relu(convBn(y, p + ".conv2", p + ".bn2", planes, 3, stride, 1));
                y = convBn(y, p + ".conv3", p + ".bn3", planes * 4, 1, 1, 0);
                x = Ref.relu(Ref.add(y, shortcut));
            }
        }
        return Ref.poolAndLinear(x, sd.weight("fc.weight", 1, 1000, x.c()), sd.uniform("fc.bias", -0.1, 0.1, 1000), 1000);
    }

    private Map3 convBn(Map3 x, String conv, String bn, int out, int k, int stride, int pad) {
        Map3 y = Ref.conv(x, sd.weight(conv + ".weight", 1.5, out, x.c(), k, k), null, out, k, stride, pad, 1);
        return Ref.batchNorm(y, sd.uniform(bn + ".weight", 0.5, 1.5, out), sd.uniform(bn + ".bias", -0.2, 0.2, out),
                sd.uniform(bn + ".running_mean", -0.2, 0.2, out), sd.uniform(bn + ".running_var", 0.5, 1.5, out), EPS);
    }
}
