package dev.kbi.reader;

import dev.kbi.common.parquet.NoHadoopCodecFactory;
import dev.kbi.common.parquet.ParquetRows;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;

/** Parquet manifests for tests, written the way pyarrow or Spark would: one optional column, plain Parquet. */
final class ParquetManifests {

    private ParquetManifests() {
    }

    /** A file with one optional string column {@code column}; null values are rows without one. */
    static void write(Path file, String column, List<String> values, long rowGroupBytes) throws IOException {
        MessageType schema = Types.buildMessage().optional(PrimitiveType.PrimitiveTypeName.BINARY)
                .as(LogicalTypeAnnotation.stringType()).named(column).named("manifest");
        SimpleGroupFactory rows = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = writer(file, schema, rowGroupBytes)) {
            for (String value : values) {
                Group row = rows.newGroup();
                if (value != null) {
                    row.add(column, value);
                }
                writer.write(row);
            }
        }
    }

    /** A file whose column {@code column} holds numbers, not strings. */
    static void writeLongs(Path file, String column, List<Long> values) throws IOException {
        MessageType schema = Types.buildMessage().required(PrimitiveType.PrimitiveTypeName.INT64).named(column)
                .named("manifest");
        SimpleGroupFactory rows = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = writer(file, schema, 1 << 20)) {
            for (long value : values) {
                writer.write(rows.newGroup().append(column, value));
            }
        }
    }

    static int rowGroups(Path file) throws IOException {
        return ParquetRows.footer(file).getBlocks().size();
    }

    private static ParquetWriter<Group> writer(Path file, MessageType schema, long rowGroupBytes) throws IOException {
        return ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(new PlainParquetConfiguration())
                .withCodecFactory(new NoHadoopCodecFactory()).withType(schema).withRowGroupSize(rowGroupBytes)
                .withMinRowCountForPageSizeCheck(10).build();
    }
}
