package simil.models.matchnet;

import java.util.ArrayList;
import java.util.List;
import simil.layers.BatchNorm;
import simil.layers.Conv2d;
import simil.layers.Dropout;
import simil.layers.Flatten;
import simil.layers.Layer;
import simil.layers.Linear;
import simil.layers.MaxPool2d;
import simil.layers.Relu;
import simil.layers.Sequential;
import simil.tensor.Backend;

/**
 * MatchNet's feature tower for 64×64 RGB: Conv7×7/24 → ReLU → MaxPool3/2 → Conv5×5/64 → ReLU → MaxPool3/2
 * → Conv3×3/96 → ReLU → Conv3×3/96 → ReLU → Conv3×3/64 → ReLU → MaxPool3/2 → FC 4096→bottleneck → ReLU →
 * Dropout. Identical to the PyTorch anchor (shared/anchors/torch_matchnet_bench.py).
 *
 * <p>Where a ReLU is followed by max pooling, it runs after the pooling instead: max commutes with a
 * non-decreasing function, so outputs and gradients are the same (ties included: the first maximum of the
 * window wins either way, and ReLU's gradient at and below zero is zero either way), but the ReLU touches a
 * quarter of the values.
 */
public final class MatchNetTower {
    private MatchNetTower() {}

    public static Sequential build(Backend be, MatchNetConfig c) {
        List<Layer> layers = new ArrayList<>();
        long seed = c.seed();
        conv(layers, be, c, "tower.conv1", 3, 24, 7, 3, seed + 1, false);
        poolThenRelu(layers, be);
        conv(layers, be, c, "tower.conv2", 24, 64, 5, 2, seed + 2, true);
        poolThenRelu(layers, be);
        conv(layers, be, c, "tower.conv3", 64, 96, 3, 1, seed + 3, true);
        layers.add(new Relu(be));
        conv(layers, be, c, "tower.conv4", 96, 96, 3, 1, seed + 4, true);
        layers.add(new Relu(be));
        conv(layers, be, c, "tower.conv5", 96, 64, 3, 1, seed + 5, true);
        poolThenRelu(layers, be);
        layers.add(new Flatten());
        layers.add(new Linear(be, "tower.bottleneck", 64 * 8 * 8, c.bottleneck(), true).init(seed + 6));
        layers.add(new Relu(be));
        layers.add(new Dropout(be, c.dropout(), seed + 7));
        return new Sequential(layers);
    }

    /** The image batch needs no gradient, so the first convolution skips its data gradient. */
    private static void conv(List<Layer> layers, Backend be, MatchNetConfig c, String name, int in, int out, int k,
                             int pad, long seed, boolean inputNeedsGrad) {
        layers.add(new Conv2d(be, name, in, out, k, 1, pad, !c.batchNorm()).init(seed).inputNeedsGrad(inputNeedsGrad));
        if (c.batchNorm()) layers.add(new BatchNorm(be, name + ".bn", out));
    }

    /** ReLU then MaxPool 3×3/2, computed in the cheaper order (see the class comment). */
    private static void poolThenRelu(List<Layer> layers, Backend be) {
        layers.add(new MaxPool2d(be, 3, 2, 1));
        layers.add(new Relu(be));
    }
}
