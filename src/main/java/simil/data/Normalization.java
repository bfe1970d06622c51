package simil.data;

/** Per-channel affine map applied after scaling pixels to [0, 1]: {@code (x - mean[c]) / std[c]}. */
public record Normalization(float[] mean, float[] std) {
    /** Plain [0, 1] pixels, as in the reference study. */
    public static final Normalization NONE = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});
    /** The usual ImageNet channel statistics. */
    public static final Normalization IMAGENET = new Normalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public Normalization {
        if (mean.length != 3 || std.length != 3) throw new IllegalArgumentException("need 3 channel means and stds");
        for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("std must be positive: " + s);
        mean = mean.clone();
        std = std.clone();
    }

    /** Channel mean and std of the [0, 1] pixels of {@code images} (normally the training split). */
    public static Normalization measure(ImageStore store, int[] images) {
        int plane = JpegDecoder.SIDE * JpegDecoder.SIDE;
        double[] sum = new double[3];
        double[] squares = new double[3];
        byte[] pixels = new byte[JpegDecoder.IMAGE_BYTES];
        for (int image : images) {
            store.copyPixels(image, pixels, 0);
            for (int c = 0; c < 3; c++) {
                long s = 0, q = 0;
                for (int p = c * plane; p < (c + 1) * plane; p++) {
                    int v = pixels[p] & 0xFF;
                    s += v;
                    q += v * v;
                }
                sum[c] += s;
                squares[c] += q;
            }
        }
        double count = (double) images.length * plane;
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            double m = sum[c] / count;
            mean[c] = (float) (m / 255);
            std[c] = (float) (Math.sqrt(Math.max(squares[c] / count - m * m, 1e-12)) / 255);
        }
        return new Normalization(mean, std);
    }
}
