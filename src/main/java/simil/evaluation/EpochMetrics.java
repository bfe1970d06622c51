package simil.evaluation;

/**
 * One row of a training run's {@code metrics.csv}: the losses and accuracies after one epoch.
 *
 * @param epoch   1-based epoch number within its phase
 * @param lr      the scheduled learning rate of the epoch's last step
 * @param seconds wall time of the epoch
 * @param phase   the phase that trained it (classifier, pairs, metric, mim); null in a file written before rows named it
 */
public record EpochMetrics(int epoch, double lr, double trainLoss, double trainAcc, double valLoss, double valAcc,
                           double seconds, String phase) {
}
