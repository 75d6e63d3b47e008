package dev.kbi.common.rows;

import static dev.kbi.common.block.Columns.binary;
import static dev.kbi.common.block.Columns.int64;
import static dev.kbi.common.block.Columns.utf8;

import dev.kbi.common.block.Columns;
import dev.kbi.common.block.RowSchema;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A row that a stage could not process (topic {@code dead-letters}): which row, which stage, why,
 * and the original bytes where they fit, so nothing is dropped silently.
 *
 * @param rowId the failed row's id, or {@code block:<topic>-<partition>@<offset>} for a whole block
 *     that could not be read
 * @param payload the input bytes (may be null when they are too large to keep)
 * @param key the key of the input record the row came in on ({@code kbi.input}), so that its
 *     caller learns which of its records failed; null for files and whole blocks
 */
public record DeadLetterRow(String rowId, String source, String stage, String errorClass, String message,
        long failedAtMillis, byte[] payload, String key) {

    /** A dead letter of a row that came with no key. */
    public DeadLetterRow(String rowId, String source, String stage, String errorClass, String message,
            long failedAtMillis, byte[] payload) {
        this(rowId, source, stage, errorClass, message, failedAtMillis, payload, null);
    }

    /** Arrow layout of the dead-letter topic. */
    public static final RowSchema<DeadLetterRow> SCHEMA = new RowSchema<>() {
        private final Schema schema = new Schema(List.of(
                utf8("row_id", false), utf8("source", true), utf8("stage", false), utf8("error_class", false),
                utf8("message", true), int64("failed_at_ms"), binary("payload", true),
                utf8("key", true)));

        @Override
        public String name() {
            return "kbi.dead-letter.v1";
        }

        @Override
        public Schema arrowSchema() {
            return schema;
        }

        @Override
        public void write(VectorSchemaRoot root, List<DeadLetterRow> rows) {
            Columns.setStrings(root, "row_id", rows, DeadLetterRow::rowId);
            Columns.setStrings(root, "source", rows, DeadLetterRow::source);
            Columns.setStrings(root, "stage", rows, DeadLetterRow::stage);
            Columns.setStrings(root, "error_class", rows, DeadLetterRow::errorClass);
            Columns.setStrings(root, "message", rows, DeadLetterRow::message);
            Columns.setLongs(root, "failed_at_ms", rows, DeadLetterRow::failedAtMillis);
            Columns.setBytes(root, "payload", rows, DeadLetterRow::payload);
            Columns.setStrings(root, "key", rows, DeadLetterRow::key);
        }

        @Override
        public java.util.Set<String> optionalColumns() {
            return java.util.Set.of("key");
        }

        @Override
        public DeadLetterRow read(VectorSchemaRoot root, int i) {
            return new DeadLetterRow(Columns.string(root, "row_id", i), Columns.string(root, "source", i),
                    Columns.string(root, "stage", i), Columns.string(root, "error_class", i),
                    Columns.string(root, "message", i), Columns.int64(root, "failed_at_ms", i),
                    Columns.bytes(root, "payload", i), Columns.optionalString(root, "key", i));
        }
    };

    /** Which row a dead letter is about; {@code key} as in {@link DeadLetterRow}. */
    public record Identity(String rowId, String source, String key) {

        /** A row that came with no key. */
        public Identity(String rowId, String source) {
            this(rowId, source, null);
        }
    }

    /** A dead letter for one row that failed with {@code error}. */
    public static DeadLetterRow of(String rowId, String source, String stage, Throwable error, byte[] payload) {
        return of(rowId, source, null, stage, error, payload);
    }

    /** A dead letter for one row of key {@code key} that failed with {@code error}. */
    public static DeadLetterRow of(String rowId, String source, String key, String stage, Throwable error,
            byte[] payload) {
        return new DeadLetterRow(rowId, source, stage, error.getClass().getName(), String.valueOf(error.getMessage()),
                System.currentTimeMillis(), payload, key);
    }
}
