package dev.kbi.common.block;

/** A record value that is not a readable block of the expected schema. Never retried: dead-letter it. */
public class BlockFormatException extends RuntimeException {

    public BlockFormatException(String message) {
        super(message);
    }

    public BlockFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
