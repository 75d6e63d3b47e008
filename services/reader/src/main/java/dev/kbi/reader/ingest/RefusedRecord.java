package dev.kbi.reader.ingest;

/**
 * A record of the input topic that cannot become a row: dead-lettered with its class (one of the
 * kinds below) and the reason, never retried. Files a reference names that cannot be read keep the
 * reader's own errors ({@code PathOutsideAllowedRoots}, {@code FileTooLarge}, {@code NoSuchFileException}),
 * and Arrow blocks that cannot be decoded the codec's.
 */
public abstract class RefusedRecord extends Exception {

    private static final long serialVersionUID = 1L;

    RefusedRecord(String message) {
        super(message);
    }

    /** A {@code content-type} the input topic does not take. */
    public static final class UnsupportedContentType extends RefusedRecord {
        private static final long serialVersionUID = 1L;

        UnsupportedContentType(String message) {
            super(message);
        }
    }

    /** No value (a tombstone) or zero bytes. */
    public static final class EmptyRecord extends RefusedRecord {
        private static final long serialVersionUID = 1L;

        EmptyRecord(String message) {
            super(message);
        }
    }

    /** A value larger than {@code reader.max-file-bytes}. */
    public static final class RecordTooLarge extends RefusedRecord {
        private static final long serialVersionUID = 1L;

        RecordTooLarge(String message) {
            super(message);
        }
    }

    /** A key, {@code kbi-row-id}, {@code kbi-job-id} or row id that is not valid (see {@code RowIds}, {@code JobIds}). */
    public static final class InvalidId extends RefusedRecord {
        private static final long serialVersionUID = 1L;

        InvalidId(String message) {
            super(message);
        }
    }

    /** A JSON reference that is not valid JSON, or not of the documented shape. */
    public static final class MalformedReference extends RefusedRecord {
        private static final long serialVersionUID = 1L;

        MalformedReference(String message) {
            super(message);
        }
    }
}
