package dev.kbi.common.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;

/**
 * Reads the pipeline's Parquet output with Parquet's own example {@link Group} model, with no Hadoop
 * configuration or codec (for the launcher's summary, the benchmarks and the tests). Needs
 * {@code parquet-hadoop} and {@code hadoop-client-api} on the caller's class path (optional
 * dependencies of this module): Parquet's read path loads Hadoop classes even so.
 */
public final class ParquetRows {

    private ParquetRows() {
    }

    /** Every row of a local Parquet file. */
    public static List<Group> read(Path file) throws IOException {
        List<Group> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = new GroupReader(file).withCodecFactory(new NoHadoopCodecFactory())
                .build()) {
            for (Group row = reader.read(); row != null; row = reader.read()) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** The file's footer: schema, row groups, codecs, key-value metadata. */
    public static ParquetMetadata footer(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), readOptions())) {
            return reader.getFooter();
        }
    }

    /** Read options with no Hadoop configuration or codec, for {@link ParquetFileReader#open}. */
    static ParquetReadOptions readOptions() {
        return ParquetReadOptions.builder(new PlainParquetConfiguration()).withCodecFactory(new NoHadoopCodecFactory())
                .build();
    }

    /** The string elements of a standard 3-level LIST column. */
    public static List<String> strings(Group row, String field) {
        Group list = row.getGroup(field, 0);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
            values.add(list.getGroup("list", i).getString("element", 0));
        }
        return values;
    }

    /** The float elements of a standard 3-level LIST column. */
    public static float[] floats(Group row, String field) {
        Group list = row.getGroup(field, 0);
        float[] values = new float[list.getFieldRepetitionCount("list")];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.getGroup("list", i).getFloat("element", 0);
        }
        return values;
    }

    /** True when an optional field holds no value in this row. */
    public static boolean isNull(Group row, String field) {
        return row.getFieldRepetitionCount(field) == 0;
    }

    private static final class GroupReader extends ParquetReader.Builder<Group> {

        GroupReader(Path file) {
            super(new LocalInputFile(file), new PlainParquetConfiguration());
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }
}
