package simil.tensor;

/**
 * Vector quantization against a codebook, the visual tokenizers' ops: the nearest codebook row of each vector,
 * how often each code is used, and Lloyd's update of k-means centroids. Codes are int32.
 */
public interface CodebookOps {
    /**
     * codes[i] = the row of {@code codebook} [V, C] nearest to row i of x [n, C] in squared Euclidean distance
     * (‖e‖² − 2·x·e compared, ties to the lower index); {@code distances} [n] receives that squared distance
     * (never negative) unless null.
     */
    void nearest(Tensor x, Tensor codebook, Tensor codes, Tensor distances);

    /**
     * counts[k] += how many codes [n] equal k, for counts int32 [V]. A code outside [0, V) throws
     * IndexOutOfBoundsException: at once on the CPU, at the next {@link Backend#synchronize()} on a GPU.
     */
    void countCodes(Tensor codes, Tensor counts);

    /**
     * Lloyd's step: centroids[k] = the mean of the rows of x [n, C] whose code is k (summed in double), for every k
     * some row has; the other centroids keep their values. counts int32 [V] is overwritten with the rows per code.
     * Codes outside [0, V) throw as {@link #countCodes}'.
     */
    void kMeansUpdate(Tensor x, Tensor codes, Tensor centroids, Tensor counts);
}
