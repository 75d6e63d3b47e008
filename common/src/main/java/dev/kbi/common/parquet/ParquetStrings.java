package dev.kbi.common.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * One top-level string column of a local Parquet file, streamed row group by row group (only that
 * column is read). Needs {@code parquet-hadoop} and {@code hadoop-client-api} on the caller's class
 * path: Parquet's read options build a Hadoop codec factory before any other can be set. For inputs given as Parquet, such as a
 * manifest with a {@code path} column: memory is one row group of that column, not the file.
 */
public final class ParquetStrings implements Iterator<String>, AutoCloseable {

    private final ParquetFileReader file;
    private final MessageType projection;
    private final MessageColumnIO columnIo;
    private RecordReader<Group> rows;
    private long rowsLeftInGroup;

    private ParquetStrings(ParquetFileReader file, MessageType projection) {
        this.file = file;
        this.projection = projection;
        this.columnIo = new ColumnIOFactory().getColumnIO(projection);
    }

    /**
     * The values of {@code column}, null where a row has none.
     *
     * @throws IllegalArgumentException when the file has no such top-level column of strings
     * @throws IOException when the file cannot be read or is not Parquet
     */
    public static ParquetStrings open(Path path, String column) throws IOException {
        ParquetFileReader file;
        try {
            file = ParquetFileReader.open(new LocalInputFile(path), ParquetRows.readOptions());
        } catch (RuntimeException e) { // Parquet's way of saying "not a Parquet file" (no magic number)
            throw new IOException(path + " is not a readable Parquet file: " + e.getMessage(), e);
        }
        try {
            MessageType schema = file.getFooter().getFileMetaData().getSchema();
            MessageType projection = projection(schema, column, path);
            file.setRequestedSchema(projection);
            return new ParquetStrings(file, projection);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static MessageType projection(MessageType schema, String column, Path path) {
        if (!schema.containsField(column)) {
            throw new IllegalArgumentException(path + ": no column \"" + column + "\" (columns: "
                    + schema.getFields().stream().map(Type::getName).toList() + ")");
        }
        Type field = schema.getType(column);
        boolean isString = field.isPrimitive() && !field.isRepetition(Type.Repetition.REPEATED)
                && field.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
                && (field.getLogicalTypeAnnotation() == null
                        || field.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation);
        if (!isString) {
            throw new IllegalArgumentException(path + ": column \"" + column + "\" is " + field
                    + ", not a string (a single BINARY, STRING-annotated or plain)");
        }
        return Types.buildMessage().addField(field).named(schema.getName());
    }

    @Override
    public boolean hasNext() {
        try {
            while (rowsLeftInGroup == 0) {
                PageReadStore group = file.readNextRowGroup();
                if (group == null) {
                    return false;
                }
                rowsLeftInGroup = group.getRowCount();
                rows = columnIo.getRecordReader(group, new GroupRecordConverter(projection));
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file.getFile(), e);
        }
    }

    /** The next row's value, or null when the row has none. */
    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        rowsLeftInGroup--;
        Group row = rows.read();
        return row.getFieldRepetitionCount(0) == 0 ? null : row.getString(0, 0);
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
