package simil.backend.cuda;


import simil.tensor.PairScoringOps;
import simil.tensor.Tensor;
import simil.tensor.*;

/** PairScoringOps on the GPU: our kernels in kernels/ (being written). */
final class CudaPairScoringOps implements PairScoringOps {
    private final CudaBackend backend;

    CudaPairScoringOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public boolean acceptsHidden(int hidden) {
        throw new UnsupportedOperationException("CudaPairScoringOps.acceptsHidden: not yet on the GPU");
    }

    @Override
    public QuantizedMetric quantize(Tensor w2, Tensor b2, Tensor w3, Tensor b3) {
        throw new UnsupportedOperationException("CudaPairScoringOps.quantize: not yet on the GPU");
    }

    @Override
    public void scoreTile(Tensor firstHalf, Tensor secondHalf, QuantizedMetric metric, Tensor logits) {
        throw new UnsupportedOperationException("CudaPairScoringOps.scoreTile: not yet on the GPU");
    }

    @Override
    public ScoreHistogram histogram(float... thresholds) {
        throw new UnsupportedOperationException("CudaPairScoringOps.histogram: not yet on the GPU");
    }

    @Override
    public void histogramTile(Tensor logits, Tensor reversed, Tensor labels, int firstRow, int firstColumn, int columns, ScoreHistogram into) {
        throw new UnsupportedOperationException("CudaPairScoringOps.histogramTile: not yet on the GPU");
    }

    @Override
    public void histogramPairs(Tensor logits, Tensor same, ScoreHistogram into) {
        throw new UnsupportedOperationException("CudaPairScoringOps.histogramPairs: not yet on the GPU");
    }

    @Override
    public void histogramPosteriorTile(Tensor posterior, Tensor logits, Tensor reversed, float priorShift, Tensor labels, int firstRow, int firstColumn, int columns, ScoreHistogram into) {
        throw new UnsupportedOperationException("CudaPairScoringOps.histogramPosteriorTile: not yet on the GPU");
    }

    @Override
    public void histogramPosteriorPairs(Tensor posterior, Tensor logits, float priorShift, Tensor same, ScoreHistogram into) {
        throw new UnsupportedOperationException("CudaPairScoringOps.histogramPosteriorPairs: not yet on the GPU");
    }

}
