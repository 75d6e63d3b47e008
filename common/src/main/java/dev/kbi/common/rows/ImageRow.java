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
 * An encoded image as the reader found it (topic {@code images}).
 *
 * @param rowId stable id of the row within its job, kept by every later stage
 * @param source where the bytes came from (a file path, or the producing system's key)
 * @param readAtMillis when the reader emitted the row (epoch millis)
 * @param bytes the file's bytes, undecoded
 * @param key the key of the record it came in on from another system ({@code kbi.input}), kept by
 *     every later stage so that its caller can join the results back; null for files
 */
public record ImageRow(String rowId, String source, long readAtMillis, byte[] bytes, String key) {

    /** A row read from a file: no key. */
    public ImageRow(String rowId, String source, long readAtMillis, byte[] bytes) {
        this(rowId, source, readAtMillis, bytes, null);
    }

    /** Arrow layout of the images topic. */
    public static final RowSchema<ImageRow> SCHEMA = new RowSchema<>() {
        private final Schema schema = new Schema(List.of(
                utf8("row_id", false), utf8("source", false), int64("read_at_ms"), int64("size"),
                binary("image", false), utf8("key", true)));

        @Override
        public String name() {
            return "kbi.image.v1";
        }

        @Override
        public Schema arrowSchema() {
            return schema;
        }

        @Override
        public void write(VectorSchemaRoot root, List<ImageRow> rows) {
            Columns.setStrings(root, "row_id", rows, ImageRow::rowId);
            Columns.setStrings(root, "source", rows, ImageRow::source);
            Columns.setLongs(root, "read_at_ms", rows, ImageRow::readAtMillis);
            Columns.setLongs(root, "size", rows, r -> (long) r.bytes().length);
            Columns.setBytes(root, "image", rows, ImageRow::bytes);
            Columns.setStrings(root, "key", rows, ImageRow::key);
        }

        @Override
        public java.util.Set<String> optionalColumns() {
            return java.util.Set.of("key");
        }

        @Override
        public ImageRow read(VectorSchemaRoot root, int i) {
            return new ImageRow(Columns.string(root, "row_id", i), Columns.string(root, "source", i),
                    Columns.int64(root, "read_at_ms", i), Columns.bytes(root, "image", i), Columns.optionalString(root, "key", i));
        }
    };
}
