package simil.models.beit;

/**
 * Resizes a BEiT relative position bias table [(2G−1)²+3, H] from one patch grid to another: per head, the
 * (2G−1)² offset entries form a (2G−1)×(2G−1) image (row offset, column offset) resized with bilinear
 * interpolation exactly as PyTorch's F.interpolate(mode="bilinear", align_corners=False) does (transformers'
 * BeitRelativePositionBias); the three CLS entries are kept as they are.
 */
public final class RelativeBiasResize {
    private RelativeBiasResize() {}

    public static float[] resize(float[] table, int fromGrid, int toGrid, int heads) {
        int from = 2 * fromGrid - 1, to = 2 * toGrid - 1;
        if (table.length != (from * from + 3) * heads) throw new IllegalArgumentException("table of " + table.length + " values is not [" + (from * from + 3) + ", " + heads + "]");
        float[] out = new float[(to * to + 3) * heads];
        double scale = (double) from / to;
        for (int r = 0; r < to; r++) {
            Axis y = Axis.of(r, scale, from);
            for (int c = 0; c < to; c++) {
                Axis x = Axis.of(c, scale, from);
                for (int h = 0; h < heads; h++) {
                    double top = (1 - x.weight) * table[(y.low * from + x.low) * heads + h] + x.weight * table[(y.low * from + x.high) * heads + h];
                    double bottom = (1 - x.weight) * table[(y.high * from + x.low) * heads + h] + x.weight * table[(y.high * from + x.high) * heads + h];
                    out[(r * to + c) * heads + h] = (float) ((1 - y.weight) * top + y.weight * bottom);
                }
            }
        }
        System.arraycopy(table, from * from * heads, out, to * to * heads, 3 * heads);
        return out;
    }

    /** PyTorch's half-pixel source coordinate for output index i: the two neighbours and the weight of the upper one. */
    private record Axis(int low, int high, double weight) {
        static Axis of(int i, double scale, int size) {
            double src = Math.max(0, (i + 0.5) * scale - 0.5);
            int low = Math.min((int) src, size - 1);
            int high = Math.min(low + 1, size - 1);
            return new Axis(low, high, src - low);
        }
    }
}
