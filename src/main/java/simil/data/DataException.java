package simil.data;

/** A problem with the data (a bad archive, image, annotation or cache); the message is one line naming the file. */
public final class DataException extends RuntimeException {
    /** An error whose message is shown to the user as is. */
    public DataException(String message) {
        super(message);
    }

    /** An error caused by a lower-level exception, whose text is already folded into {@code message}. */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
