package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.Tensor;

/**
 * A block output {@code x + W2 h + b2} (the MLP's residual sum) not yet materialised, so that the 1x1 conv of the
 * next block's PatchEmbed can absorb fc2: {@code Wpe (x + W2 h + b2) = Wpe x + (Wpe W2) h + Wpe b2}, and with a
 * stride-2 PatchEmbed the average pool commutes into both terms. Where the next width is smaller than fc2's input,
 * or the pool quarters the pixels, this does fewer multiply-adds than running fc2 and the PatchEmbed conv apart.
 *
 * @param x        the residual input [B, C, H, W]
 * @param hidden   the MLP's hidden activation h [B, hidden, H, W]
 * @param w2       fc2's weight [C, hidden]
 * @param b2       fc2's bias [C]
 * @param fc2Path  fc2's module path, which names the merged convolution
 */
record PendingResidual(Tensor x, Tensor hidden, float[] w2, float[] b2, String fc2Path) implements BlockOutput {
}
