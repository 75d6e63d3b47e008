package dev.kbi.preprocessor.image;

/**
 * An input row's bytes could not be turned into pixels: the row is bad, not the stage. Checked on
 * purpose, so that callers handle it per row (dead-letter it) instead of failing a whole block.
 */
public final class ImageDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the bytes were refused; stable, so it can label metrics and dead letters. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** No installed ImageIO reader recognises the bytes, or the format is not accepted. */
        UNSUPPORTED_FORMAT,
        /** A reader recognised the format but the data ends early or is malformed. */
        CORRUPT,
        /** The declared width x height is above the configured pixel limit (decompression bomb guard). */
        TOO_LARGE
    }

    private final Reason reason;

    /** The message starts with the reason ({@code TOO_LARGE: ...}): dead letters carry only the message. */
    public ImageDecodeException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public ImageDecodeException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
