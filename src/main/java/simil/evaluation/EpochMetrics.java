package simil.evaluation;

/**
 * One row of a training run's {@code metrics.csv}: the losses and accuracies after one epoch.
 *
 * @param epoch   1-based epoch number
 * @param lr      the run's learning rate, which tells the runs of a sweep apart
 * @param seconds wall time of the epoch
 */
public record EpochMetrics(int epoch, double lr, double trainLoss, double trainAcc, double valLoss, double valAcc,
                           double seconds) {
}
