package dev.kbi.writer.parquet;

import static dev.kbi.writer.parquet.Records.require;
import static org.apache.parquet.schema.Type.Repetition.OPTIONAL;
import static org.apache.parquet.schema.Type.Repetition.REQUIRED;

import dev.kbi.common.rows.PredictionRow;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Parquet layout of {@link PredictionRow}: {@code row_id, source, labels (LIST<string>), scores (LIST<float>),
 * top1_label, top1_score, model, read_at_ms, preprocessed_at_ms, inferred_at_ms, written_at_ms, embedding
 * (LIST<float>, optional), key (optional)}; the four {@code *_ms} columns are INT64 TIMESTAMP(MILLIS, UTC). {@code top1_*} is
 * the highest score and its label (the first on a tie), null when the row has no labels (an embedding model's
 * rows). {@code embedding} is the model's output vector, null for a classification model's rows.
 * {@code key} is the key of the record the row came in on from another system ({@code kbi.input}),
 * null for rows read from files.
 */
public final class PredictionFormat implements RowFormat<PredictionRow> {

    private static final MessageType SCHEMA = Types.buildMessage()
            .addField(Records.string("row_id", REQUIRED))
            .addField(Records.string("source", REQUIRED))
            .addField(Records.requiredList("labels", Records.string("element", REQUIRED)))
            .addField(Records.requiredList("scores", Types.required(PrimitiveTypeName.FLOAT).named("element")))
            .addField(Records.string("top1_label", OPTIONAL))
            .addField(Types.optional(PrimitiveTypeName.FLOAT).named("top1_score"))
            .addField(Records.string("model", REQUIRED))
            .addField(Records.timestampMillis("read_at_ms"))
            .addField(Records.timestampMillis("preprocessed_at_ms"))
            .addField(Records.timestampMillis("inferred_at_ms"))
            .addField(Records.timestampMillis("written_at_ms"))
            .addField(Types.optionalList().element(Types.required(PrimitiveTypeName.FLOAT).named("element"))
                    .named("embedding"))
            .addField(Records.string("key", OPTIONAL))
            .named("kbi_prediction");

    /** The format is stateless: instances are interchangeable. */
    public PredictionFormat() {
    }

    /** The name of the rows it stores: the Parquet file says which block schema its rows came in. */
    @Override
    public String name() {
        return PredictionRow.SCHEMA.name();
    }

    @Override
    public MessageType schema() {
        return SCHEMA;
    }

    @Override
    public void validate(PredictionRow row) {
        require(row.rowId() != null, null, "row_id is null");
        require(row.source() != null, row.rowId(), "source is null");
        require(row.model() != null, row.rowId(), "model is null");
        require(row.labels() != null && row.scores() != null, row.rowId(), "labels or scores are null");
        require(row.labels().size() == row.scores().length, row.rowId(),
                row.labels().size() + " labels but " + row.scores().length + " scores");
        for (String label : row.labels()) { // not contains(null): List.of(..) throws on it
            require(label != null, row.rowId(), "a label is null");
        }
    }

    @Override
    public void write(PredictionRow row, long writtenAtMillis, RecordConsumer out) {
        int top = argMax(row.scores());
        out.startMessage();
        Records.string(out, SCHEMA, "row_id", row.rowId());
        Records.string(out, SCHEMA, "source", row.source());
        Records.stringList(out, SCHEMA, "labels", row.labels());
        Records.floatList(out, SCHEMA, "scores", row.scores());
        Records.string(out, SCHEMA, "top1_label", top < 0 ? null : row.labels().get(top));
        Records.float32(out, SCHEMA, "top1_score", top < 0 ? null : row.scores()[top]);
        Records.string(out, SCHEMA, "model", row.model());
        Records.int64(out, SCHEMA, "read_at_ms", row.readAtMillis());
        Records.int64(out, SCHEMA, "preprocessed_at_ms", row.preprocessedAtMillis());
        Records.int64(out, SCHEMA, "inferred_at_ms", row.inferredAtMillis());
        Records.int64(out, SCHEMA, "written_at_ms", writtenAtMillis);
        if (row.embedding() != null) { // absent: the optional list reads back as null
            Records.floatList(out, SCHEMA, "embedding", row.embedding());
        }
        Records.string(out, SCHEMA, "key", row.key());
        out.endMessage();
    }

    // Rows come best-first, but the top-1 columns should not depend on that ordering being kept upstream.
    /** The index of the best score (the top-1 label's), or -1 for none (an embedding row). */
    public static int argMax(float[] scores) {
        int best = -1;
        for (int i = 0; i < scores.length; i++) {
            if (best < 0 || scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }
}
