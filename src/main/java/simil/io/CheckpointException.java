package simil.io;

/** A checkpoint that cannot be used: missing, corrupt, or of the wrong shape. The message is one line. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }
}
