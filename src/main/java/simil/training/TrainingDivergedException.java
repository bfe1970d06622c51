package simil.training;

/** The loss became NaN or infinite; the last good checkpoint is left as it was. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
