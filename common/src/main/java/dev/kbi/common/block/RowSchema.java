package dev.kbi.common.block;

import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Maps one row type to Arrow columns and back. Each topic of the pipeline has exactly one
 * {@code RowSchema}; its {@link #name()} travels in the {@code kbi-schema} header so a consumer can
 * reject a block of the wrong kind before decoding it.
 *
 * @param <R> the row type
 */
public interface RowSchema<R> {

    /** Stable, versioned name of the schema, e.g. {@code kbi.image.v1}. */
    String name();

    /** The Arrow schema every block of this kind carries. */
    Schema arrowSchema();

    /** Fills {@code root} (already created from {@link #arrowSchema()}) with {@code rows}. */
    void write(VectorSchemaRoot root, List<R> rows);

    /** Reads row {@code index} of {@code root}. */
    R read(VectorSchemaRoot root, int index);

    /**
     * Columns a block may leave out (nullable ones added to a schema after producers outside this
     * project started writing it, such as {@code key}): read as nulls when absent.
     */
    default java.util.Set<String> optionalColumns() {
        return java.util.Set.of();
    }
}
