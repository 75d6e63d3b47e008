package dev.kbi.common.rows;

import static dev.kbi.common.block.Columns.float32List;
import static dev.kbi.common.block.Columns.int64;
import static dev.kbi.common.block.Columns.utf8;
import static dev.kbi.common.block.Columns.utf8List;

import dev.kbi.common.block.Columns;
import dev.kbi.common.block.RowSchema;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The model's answer for one row (topic {@code predictions}) and which model produced it
 * ({@code name:version}). A classification model fills {@code labels} and {@code scores} (top-k,
 * best first) and leaves {@code embedding} null; an embedding model leaves both lists empty and
 * fills {@code embedding} with its output vector (one fixed length per model).
 */
public record PredictionRow(String rowId, String source, long readAtMillis, long preprocessedAtMillis,
        long inferredAtMillis, List<String> labels, float[] scores, String model, float[] embedding, String key) {

    /** A row with no key (read from a file). */
    public PredictionRow(String rowId, String source, long readAtMillis, long preprocessedAtMillis,
            long inferredAtMillis, List<String> labels, float[] scores, String model, float[] embedding) {
        this(rowId, source, readAtMillis, preprocessedAtMillis, inferredAtMillis, labels, scores, model, embedding,
                null);
    }

    /** A classification row with no key: no embedding. */
    public PredictionRow(String rowId, String source, long readAtMillis, long preprocessedAtMillis,
            long inferredAtMillis, List<String> labels, float[] scores, String model) {
        this(rowId, source, readAtMillis, preprocessedAtMillis, inferredAtMillis, labels, scores, model, null);
    }

    /** Arrow layout of the predictions topic. */
    public static final RowSchema<PredictionRow> SCHEMA = new RowSchema<>() {
        private final Schema schema = new Schema(List.of(
                utf8("row_id", false), utf8("source", false), int64("read_at_ms"), int64("preprocessed_at_ms"),
                int64("inferred_at_ms"), utf8List("labels"), float32List("scores", false), utf8("model", false),
                float32List("embedding", true), utf8("key", true)));

        @Override
        public String name() {
            return "kbi.prediction.v2";
        }

        @Override
        public Schema arrowSchema() {
            return schema;
        }

        @Override
        public void write(VectorSchemaRoot root, List<PredictionRow> rows) {
            Columns.setStrings(root, "row_id", rows, PredictionRow::rowId);
            Columns.setStrings(root, "source", rows, PredictionRow::source);
            Columns.setLongs(root, "read_at_ms", rows, PredictionRow::readAtMillis);
            Columns.setLongs(root, "preprocessed_at_ms", rows, PredictionRow::preprocessedAtMillis);
            Columns.setLongs(root, "inferred_at_ms", rows, PredictionRow::inferredAtMillis);
            Columns.setStringLists(root, "labels", rows, PredictionRow::labels);
            Columns.setFloatLists(root, "scores", rows, PredictionRow::scores);
            Columns.setStrings(root, "model", rows, PredictionRow::model);
            Columns.setFloatLists(root, "embedding", rows, PredictionRow::embedding);
            Columns.setStrings(root, "key", rows, PredictionRow::key);
        }

        @Override
        public java.util.Set<String> optionalColumns() {
            return java.util.Set.of("key");
        }

        @Override
        public PredictionRow read(VectorSchemaRoot root, int i) {
            return new PredictionRow(Columns.string(root, "row_id", i), Columns.string(root, "source", i),
                    Columns.int64(root, "read_at_ms", i), Columns.int64(root, "preprocessed_at_ms", i),
                    Columns.int64(root, "inferred_at_ms", i), Columns.stringList(root, "labels", i),
                    Columns.floatList(root, "scores", i), Columns.string(root, "model", i),
                    Columns.floatList(root, "embedding", i), Columns.optionalString(root, "key", i));
        }
    };
}
