package dev.kbi.common.rows;

import static dev.kbi.common.block.Columns.binary;
import static dev.kbi.common.block.Columns.int32;
import static dev.kbi.common.block.Columns.int64;
import static dev.kbi.common.block.Columns.utf8;

import dev.kbi.common.block.Columns;
import dev.kbi.common.block.RowSchema;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A decoded, resized image as uint8 pixels in channel-first (CHW) order (topic {@code tensors}).
 * Scaling to float and mean/std normalization happen in the inference stage, on the model's
 * device: uint8 is 4x fewer bytes on Kafka than float32.
 */
public record TensorRow(String rowId, String source, long readAtMillis, long preprocessedAtMillis,
        int channels, int height, int width, byte[] pixels, String key) {

    /** A row with no key (read from a file). */
    public TensorRow(String rowId, String source, long readAtMillis, long preprocessedAtMillis, int channels,
            int height, int width, byte[] pixels) {
        this(rowId, source, readAtMillis, preprocessedAtMillis, channels, height, width, pixels, null);
    }

    public TensorRow {
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException("Row " + rowId + ": " + pixels.length + " pixels for shape "
                    + channels + "x" + height + "x" + width);
        }
    }

    /** Arrow layout of the tensors topic. */
    public static final RowSchema<TensorRow> SCHEMA = new RowSchema<>() {
        private final Schema schema = new Schema(List.of(
                utf8("row_id", false), utf8("source", false), int64("read_at_ms"), int64("preprocessed_at_ms"),
                int32("channels"), int32("height"), int32("width"), binary("pixels", false), utf8("key", true)));

        @Override
        public String name() {
            return "kbi.tensor-u8-chw.v1";
        }

        @Override
        public Schema arrowSchema() {
            return schema;
        }

        @Override
        public void write(VectorSchemaRoot root, List<TensorRow> rows) {
            Columns.setStrings(root, "row_id", rows, TensorRow::rowId);
            Columns.setStrings(root, "source", rows, TensorRow::source);
            Columns.setLongs(root, "read_at_ms", rows, TensorRow::readAtMillis);
            Columns.setLongs(root, "preprocessed_at_ms", rows, TensorRow::preprocessedAtMillis);
            Columns.setInts(root, "channels", rows, TensorRow::channels);
            Columns.setInts(root, "height", rows, TensorRow::height);
            Columns.setInts(root, "width", rows, TensorRow::width);
            Columns.setBytes(root, "pixels", rows, TensorRow::pixels);
            Columns.setStrings(root, "key", rows, TensorRow::key);
        }

        @Override
        public java.util.Set<String> optionalColumns() {
            return java.util.Set.of("key");
        }

        @Override
        public TensorRow read(VectorSchemaRoot root, int i) {
            return new TensorRow(Columns.string(root, "row_id", i), Columns.string(root, "source", i),
                    Columns.int64(root, "read_at_ms", i), Columns.int64(root, "preprocessed_at_ms", i),
                    Columns.int32(root, "channels", i), Columns.int32(root, "height", i),
                    Columns.int32(root, "width", i), Columns.bytes(root, "pixels", i),
                    Columns.optionalString(root, "key", i));
        }
    };
}
