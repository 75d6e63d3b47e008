package dev.kbi.inference.batch;

/**
 * The model failed on a batch, and again on this row alone after the batch was split to find it:
 * the row is bad for the model (it is dead-lettered), the rest of its batch got results.
 */
public final class RowModelException extends RuntimeException {

    public RowModelException(Throwable cause) {
        super("The model failed on this row alone: " + cause, cause);
    }
}
