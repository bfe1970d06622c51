package simil.tensor;

/**
 * 2-D convolution and max pooling over NCHW tensors, in PyTorch's layouts (weight [K, C, R, S]).
 * Forward and data gradients overwrite their outputs; weight and bias gradients accumulate.
 */
public interface ConvOps {
    /** Geometry of one convolution: input [N, C, H, W], weight [K, C, R, S], square stride and padding. */
    record Conv2dShape(int batch, int inChannels, int height, int width, int outChannels,
                       int kernelH, int kernelW, int stride, int padding) {
        public int outHeight() { return (height + 2 * padding - kernelH) / stride + 1; }
        public int outWidth() { return (width + 2 * padding - kernelW) / stride + 1; }
        public Conv2dShape withBatch(int n) {
            return new Conv2dShape(n, inChannels, height, width, outChannels, kernelH, kernelW, stride, padding);
        }

        /** Throws unless the output is not empty and x, weight and y have this geometry's shapes (every backend's check). */
        public void check(Tensor x, Tensor weight, Tensor y) {
            if (outHeight() <= 0 || outWidth() <= 0) throw new IllegalArgumentException("convolution " + this + " has an empty output");
            x.requireShape("conv input", batch, inChannels, height, width);
            weight.requireShape("conv weight", outChannels, inChannels, kernelH, kernelW);
            y.requireShape("conv output", batch, outChannels, outHeight(), outWidth());
        }
    }

    /** Geometry of one pooling: input [N, C, H, W], square window, stride and padding (padding never wins a max). */
    record Pool2dShape(int batch, int channels, int height, int width, int kernel, int stride, int padding) {
        public int outHeight() { return (height + 2 * padding - kernel) / stride + 1; }
        public int outWidth() { return (width + 2 * padding - kernel) / stride + 1; }
        public Pool2dShape withBatch(int n) {
            return new Pool2dShape(n, channels, height, width, kernel, stride, padding);
        }

        /** Throws unless the padding is at most half the window and x and y have this geometry's shapes. */
        public void check(Tensor x, Tensor y) {
            if (padding * 2 > kernel) throw new IllegalArgumentException("pooling " + this + ": padding over half the window");
            x.requireShape("pool input", batch, channels, height, width);
            y.requireShape("pool output", batch, channels, outHeight(), outWidth());
        }
    }

    /** y = conv(x, weight) + bias (bias may be null). */
    void conv2dForward(Conv2dShape s, Tensor x, Tensor weight, Tensor bias, Tensor y);

    /** dx = conv-transpose(dy, weight). */
    void conv2dBackwardData(Conv2dShape s, Tensor dy, Tensor weight, Tensor dx);

    /** dWeight += correlation(x, dy); dBias += Σ dy over N, H, W (dBias may be null). */
    void conv2dBackwardWeights(Conv2dShape s, Tensor x, Tensor dy, Tensor dWeight, Tensor dBias);

    /**
     * Both gradients of one convolution: {@link #conv2dBackwardWeights}, then {@link #conv2dBackwardData} unless
     * dx is null. A backend may compute them together (the CPU's Winograd path transforms dy once for both).
     */
    default void conv2dBackward(Conv2dShape s, Tensor x, Tensor dy, Tensor weight, Tensor dx, Tensor dWeight, Tensor dBias) {
        conv2dBackwardWeights(s, x, dy, dWeight, dBias);
        if (dx != null) conv2dBackwardData(s, dy, weight, dx);
    }

    void maxPoolForward(Pool2dShape s, Tensor x, Tensor y);

    /**
     * dx = dy routed to the first maximum of each window (recomputed from x and y, as cuDNN does). A window without
     * an element equal to y's value (y is not the max pool of x) throws IllegalStateException: at once on the CPU, at
     * the next {@link Backend#synchronize()} on a GPU.
     */
    void maxPoolBackward(Pool2dShape s, Tensor x, Tensor y, Tensor dy, Tensor dx);

    /**
     * Non-overlapping patches: images [B, C, S, S] → out [B · (S/p)², C · p · p], each image's patches row-major
     * over its grid, each patch channel-major (c, y, x) as a patch-embedding convolution reads its window (the
     * visual tokenizer's input; BEiT's patch order).
     */
    void extractPatches(Tensor images, int patch, Tensor out);
}
