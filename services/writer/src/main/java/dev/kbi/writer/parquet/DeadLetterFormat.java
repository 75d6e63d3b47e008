package dev.kbi.writer.parquet;

import static dev.kbi.writer.parquet.Records.require;
import static org.apache.parquet.schema.Type.Repetition.OPTIONAL;
import static org.apache.parquet.schema.Type.Repetition.REQUIRED;

import dev.kbi.common.rows.DeadLetterRow;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Parquet layout of {@link DeadLetterRow}: {@code row_id, source, stage, error_class, message,
 * failed_at_ms (INT64 TIMESTAMP(MILLIS, UTC)), payload_size, key}. The payload bytes themselves are left
 * out (they stay on the dead-letter topic); {@code payload_size} is null when the row carried no payload,
 * {@code key} (the input record's key) when the row came with none.
 */
public final class DeadLetterFormat implements RowFormat<DeadLetterRow> {

    private static final MessageType SCHEMA = Types.buildMessage()
            .addField(Records.string("row_id", REQUIRED))
            .addField(Records.string("source", OPTIONAL))
            .addField(Records.string("stage", REQUIRED))
            .addField(Records.string("error_class", REQUIRED))
            .addField(Records.string("message", OPTIONAL))
            .addField(Records.timestampMillis("failed_at_ms"))
            .addField(Types.optional(PrimitiveTypeName.INT64).named("payload_size"))
            .addField(Records.string("key", OPTIONAL))
            .named("kbi_dead_letter");

    /** The format is stateless: instances are interchangeable. */
    public DeadLetterFormat() {
    }

    @Override
    public String name() {
        return "kbi.dead-letter.v1";
    }

    @Override
    public MessageType schema() {
        return SCHEMA;
    }

    @Override
    public void validate(DeadLetterRow row) {
        require(row.rowId() != null, null, "row_id is null");
        require(row.stage() != null, row.rowId(), "stage is null");
        require(row.errorClass() != null, row.rowId(), "error_class is null");
    }

    @Override
    public void write(DeadLetterRow row, long writtenAtMillis, RecordConsumer out) {
        out.startMessage();
        Records.string(out, SCHEMA, "row_id", row.rowId());
        Records.string(out, SCHEMA, "source", row.source());
        Records.string(out, SCHEMA, "stage", row.stage());
        Records.string(out, SCHEMA, "error_class", row.errorClass());
        Records.string(out, SCHEMA, "message", row.message());
        Records.int64(out, SCHEMA, "failed_at_ms", row.failedAtMillis());
        Records.int64(out, SCHEMA, "payload_size", row.payload() == null ? null : (long) row.payload().length);
        Records.string(out, SCHEMA, "key", row.key());
        out.endMessage();
    }
}
