package dev.kbi.writer.parquet;

import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * How one kind of row becomes a Parquet record: the file schema and the code that emits a row's
 * values through Parquet's {@link RecordConsumer}. Implementations must be stateless (one instance
 * may serve several writers).
 *
 * @param <R> the row type
 * @see PredictionFormat
 * @see DeadLetterFormat
 */
public interface RowFormat<R> {

    /** Name and version of the layout, stored in each file's key-value metadata under {@link #METADATA_KEY}. */
    String name();

    /** The Parquet schema every file of this format has. */
    MessageType schema();

    /**
     * Rejects a row that {@link #write} could not encode (e.g. a null in a required column) with an
     * {@link IllegalArgumentException}. Called before any of the row's values reach the file, so a bad row
     * leaves the file being written intact.
     */
    void validate(R row);

    /**
     * Emits one record ({@code startMessage} .. {@code endMessage}) for a row that passed {@link #validate}.
     *
     * @param writtenAtMillis when the writer received the row (epoch millis), for formats that record it
     */
    void write(R row, long writtenAtMillis, RecordConsumer out);

    /** Key-value metadata key under which each file records {@link #name()}. */
    String METADATA_KEY = "kbi.row_format";
}
