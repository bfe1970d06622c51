package simil.tensor;

/**
 * Random fills. Element i of a fill with seed s depends only on (s, i), never on the order or the
 * number of threads that compute it, so runs are reproducible on any machine.
 */
public interface RandomOps {
    void uniform(Tensor t, float low, float high, long seed);

    void normal(Tensor t, float mean, float std, long seed);
}
