package simil.tensor;

/** Elementwise arithmetic, reductions, bias handling and concatenation along features or tokens. */
public interface TensorOps {
    void fill(Tensor t, float value);

    /** dst = src (same element count; shapes may differ). */
    void copy(Tensor src, Tensor dst);

    /** t *= alpha. */
    void scale(Tensor t, float alpha);

    /** y += alpha * x. */
    void axpy(float alpha, Tensor x, Tensor y);

    /** out = a + b, elementwise (out may alias a or b). */
    void add(Tensor a, Tensor b, Tensor out);

    /** out = a ⊙ b, elementwise (out may alias a or b); dropout's forward and backward with its mask. */
    void multiply(Tensor a, Tensor b, Tensor out);

    /**
     * out[n, :] = x[n, :] · factors[n] for x read as [factors.size(), rows] (out may alias x): each sample scaled
     * by its own factor, as drop path keeps or zeroes whole samples.
     */
    void scaleRows(Tensor x, Tensor factors, Tensor out);

    /** x[n, :] += v for every row n of x read as [rows, v.size()]. */
    void addRowVector(Tensor x, Tensor v);

    /** out[:] (+)= Σ_n x[n, :], x read as [rows, out.size()]; accumulates when {@code accumulate}. */
    void sumRows(Tensor x, Tensor out, boolean accumulate);

    /** y[n, :] = x[n, :] * g (per-feature gain; BEiT's layer scale). y may alias x. */
    void mulRowVector(Tensor x, Tensor g, Tensor y);

    /** Backward of {@link #mulRowVector}: dx = dy * g (overwrite), dg += Σ_n dy[n, :] * x[n, :]. */
    void mulRowVectorBackward(Tensor x, Tensor g, Tensor dy, Tensor dx, Tensor dg);

    /** out[n] = [a[n] ; b[n]]: concatenation of two [N, Da] and [N, Db] feature matrices (a MatchNet pair). */
    void concatColumns(Tensor a, Tensor b, Tensor out);

    /** Inverse of {@link #concatColumns}: splits out's rows back into a and b (the pair's gradient). */
    void splitColumns(Tensor in, Tensor a, Tensor b);

    /** out[..., w] = x[..., W − 1 − w]: mirrors the last dimension (images left to right). */
    void flipLastDim(Tensor x, Tensor out);

    /** out[b, :] = mean over tokens t ≥ from of x[b, t, :], x being [B, T, D]. */
    void meanTokens(Tensor x, int from, Tensor out);

    /** dx[b, t, :] = dOut[b, :] / (T − from) for t ≥ from, 0 before (overwrites dx). */
    void meanTokensBackward(Tensor dOut, int from, Tensor dx);

    /**
     * out[r·C + c, :] = relu(a[r, :] + b[c, :]) for a [R, H], b [C, H]: the first metric layer of every pair
     * in an R×C tile, from each image's precomputed half (W_a·x + bias and W_b·y), without concatenating pairs.
     */
    void pairSumRelu(Tensor a, Tensor b, Tensor out);

    /** out[0] (+)= Σ x², summed in double precision (the gradient norm); accumulates when {@code accumulate}. */
    void sumOfSquares(Tensor x, Tensor out, boolean accumulate);

    /**
     * out[b, j, i] = x[b, i, j] for x [B, M, N] and out [B, N, M]: swaps the last two dimensions of every
     * batch entry (BEiT's patch embedding [B, D, G·G] → tokens [B, G·G, D]; applied again with the roles
     * swapped, its own backward).
     */
    void transposeLastTwo(Tensor x, Tensor out);

    /** out[n, c, ...] = (x[n, c, ...] − mean[c]) · invStd[c] for x [N, C, ...]: per-channel pixel normalization. */
    void normalizeChannels(Tensor x, Tensor mean, Tensor invStd, Tensor out);

    /**
     * out[r] = src[ids[r]] for int32 tensors (the token of each masked patch, from all the batch's tokens). An index
     * outside src throws IndexOutOfBoundsException: at once on the CPU, at the next {@link Backend#synchronize()} (or
     * host read) on a GPU, whose kernel finds it.
     */
    void gatherInts(Tensor src, Tensor ids, Tensor out);

    /**
     * Compacts the non-zeros of an int32 mask [B, N] into a gather list of fixed capacity (a prefix sum on a GPU): for
     * the k-th non-zero (b, j) in row-major order, rows[k] = b·rowStride + rowOffset + j and valid[k] = 1; rows[k] = 0
     * and valid[k] = 0 for k from the count of non-zeros to the capacity rows.size() (int32 both, same size);
     * {@code count} [1] (float32, may be null) gets the count. The caller sizes the list for the most non-zeros the
     * mask can hold: more is an error (IllegalStateException, on a GPU at the next {@link Backend#synchronize()}).
     */
    void maskedRows(Tensor mask, int rowStride, int rowOffset, Tensor rows, Tensor valid, Tensor count);
}
