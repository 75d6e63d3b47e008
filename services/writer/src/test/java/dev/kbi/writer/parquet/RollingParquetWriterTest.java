package dev.kbi.writer.parquet;

import dev.kbi.common.parquet.ParquetRows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.PredictionRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RollingParquetWriterTest {

    private static final long WRITTEN_AT = 1_767_225_600_123L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(WRITTEN_AT), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /**
     * Varied rows: top-k of 3, an empty result, a best score not in first place, non-ASCII text, an embedding
     * model's row (no labels, a vector).
     */
    static PredictionRow prediction(int i) {
        long t = 1_700_000_000_000L + i * 1000L;
        return switch (i % 4) {
            case 1 -> new PredictionRow("row-" + i, "/data/empty-" + i + ".jpg", t, t + 1, t + 2, List.of(),
                    new float[0], "resnet50");
            case 2 -> new PredictionRow("row-" + i, "/data/ünïcode-" + i + ".jpg", t, t + 10, t + 20,
                    List.of("égal", "chat 🐈"), new float[] {0.25f, 0.75f}, "resnet50");
            case 3 -> new PredictionRow("row-" + i, "/data/emb-" + i + ".jpg", t, t + 3, t + 4, List.of(),
                    new float[0], "clip:2", new float[] {i, -0.5f, 0f, 1e-7f, 0.125f});
            default -> new PredictionRow("row-" + i, "/data/img-" + i + ".jpg", t, t + 5, t + 9,
                    List.of("tabby", "tiger cat", "lynx"), new float[] {0.5f + i / 1000f, 0.3f, 0.2f}, "resnet50");
        };
    }

    private RollingParquetWriter<PredictionRow> predictions(long maxRows, long maxBytes, CompressionCodecName codec) {
        return new RollingParquetWriter<>(dir, "predictions", new PredictionFormat(), maxRows, maxBytes, codec, CLOCK);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"ZSTD", "SNAPPY", "UNCOMPRESSED"})
    void predictionsRoundTripEveryValue(CompressionCodecName codec) throws IOException {
        int n = 50;
        RollingParquetWriter<PredictionRow> writer = predictions(1000, 64 << 20, codec);
        for (int i = 0; i < n; i++) {
            writer.write(prediction(i));
        }
        List<CompletedFile> files = writer.close();

        assertEquals(List.of(new CompletedFile(dir.resolve("predictions-00000.parquet"), n)), files);
        List<Group> rows = ParquetRows.read(files.get(0).path());
        assertEquals(n, rows.size());
        for (int i = 0; i < n; i++) {
            PredictionRow expected = prediction(i);
            Group row = rows.get(i);
            assertEquals(expected.rowId(), row.getString("row_id", 0));
            assertEquals(expected.source(), row.getString("source", 0));
            assertEquals(expected.labels(), ParquetRows.strings(row, "labels"));
            assertArrayEquals(expected.scores(), ParquetRows.floats(row, "scores"));
            if (expected.labels().isEmpty()) {
                assertTrue(ParquetRows.isNull(row, "top1_label"));
                assertTrue(ParquetRows.isNull(row, "top1_score"));
            } else {
                int top = i % 4 == 2 ? 1 : 0; // case 2 has its best score second
                assertEquals(expected.labels().get(top), row.getString("top1_label", 0));
                assertEquals(expected.scores()[top], row.getFloat("top1_score", 0));
            }
            if (expected.embedding() == null) {
                assertTrue(ParquetRows.isNull(row, "embedding"));
            } else {
                assertArrayEquals(expected.embedding(), ParquetRows.floats(row, "embedding"));
            }
            assertEquals(expected.model(), row.getString("model", 0));
            assertEquals(expected.readAtMillis(), row.getLong("read_at_ms", 0));
            assertEquals(expected.preprocessedAtMillis(), row.getLong("preprocessed_at_ms", 0));
            assertEquals(expected.inferredAtMillis(), row.getLong("inferred_at_ms", 0));
            assertEquals(WRITTEN_AT, row.getLong("written_at_ms", 0));
        }

        ParquetMetadata footer = ParquetRows.footer(files.get(0).path());
        MessageType schema = footer.getFileMetaData().getSchema();
        assertEquals(new PredictionFormat().schema(), schema);
        for (String column : List.of("read_at_ms", "preprocessed_at_ms", "inferred_at_ms", "written_at_ms")) {
            var type = (TimestampLogicalTypeAnnotation) schema.getType(column).getLogicalTypeAnnotation();
            assertTrue(type.isAdjustedToUTC());
            assertEquals(LogicalTypeAnnotation.TimeUnit.MILLIS, type.getUnit());
        }
        assertEquals(LogicalTypeAnnotation.listType(), schema.getType("labels").getLogicalTypeAnnotation());
        assertEquals(LogicalTypeAnnotation.listType(), schema.getType("embedding").getLogicalTypeAnnotation());
        assertEquals(Type.Repetition.OPTIONAL, schema.getType("embedding").getRepetition());
        assertEquals("kbi.prediction.v2", footer.getFileMetaData().getKeyValueMetaData().get(RowFormat.METADATA_KEY));
        footer.getBlocks().forEach(b -> b.getColumns().forEach(c -> assertEquals(codec, c.getCodec())));
    }

    @Test
    void rollsByRowsIntoCeilNOverMaxFiles() throws IOException {
        int n = 25;
        RollingParquetWriter<PredictionRow> writer = predictions(10, 64 << 20, CompressionCodecName.ZSTD);
        for (int i = 0; i < n; i++) {
            writer.write(prediction(i));
        }
        assertEquals(25, writer.pendingRows());
        List<CompletedFile> files = writer.close();

        assertEquals(List.of(10L, 10L, 5L), files.stream().map(CompletedFile::rows).toList());
        List<String> ids = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            assertEquals(dir.resolve(String.format("predictions-%05d.parquet", f)), files.get(f).path());
            List<Group> rows = ParquetRows.read(files.get(f).path());
            assertEquals(files.get(f).rows(), rows.size());
            rows.forEach(r -> ids.add(r.getString("row_id", 0)));
        }
        assertEquals(Stream.iterate(0, i -> i + 1).limit(n).map(i -> "row-" + i).toList(), ids);
        assertEquals(List.of("predictions-00000.parquet", "predictions-00001.parquet", "predictions-00002.parquet"),
                listDir());
    }

    @Test
    void rollReturnsLimitCompletedFilesAndTheFileInProgress() throws IOException {
        RollingParquetWriter<PredictionRow> writer = predictions(10, 64 << 20, CompressionCodecName.ZSTD);
        for (int i = 0; i < 15; i++) {
            writer.write(prediction(i));
        }
        assertEquals(List.of(new CompletedFile(dir.resolve("predictions-00000.parquet"), 10),
                new CompletedFile(dir.resolve("predictions-00001.parquet"), 5)), writer.roll());
        assertEquals(0, writer.pendingRows());
        assertEquals(List.of(), writer.roll());
        writer.write(prediction(15));
        assertEquals(List.of(new CompletedFile(dir.resolve("predictions-00002.parquet"), 1)), writer.close());
    }

    @Test
    void rollsByBytes() throws IOException {
        // Any buffered row exceeds one byte, so every row completes its own file.
        RollingParquetWriter<PredictionRow> writer = predictions(1000, 1, CompressionCodecName.ZSTD);
        for (int i = 0; i < 3; i++) {
            writer.write(prediction(i));
        }
        List<CompletedFile> files = writer.close();
        assertEquals(List.of(1L, 1L, 1L), files.stream().map(CompletedFile::rows).toList());
        assertEquals("row-2", ParquetRows.read(files.get(2).path()).get(0).getString("row_id", 0));
    }

    @Test
    void filesStayHiddenUntilRolled() throws IOException {
        RollingParquetWriter<PredictionRow> writer = predictions(2, 64 << 20, CompressionCodecName.ZSTD);
        for (int i = 0; i < 3; i++) {
            writer.write(prediction(i));
        }
        // One file finished by the row limit, one in progress: neither visible yet.
        assertEquals(List.of(".predictions-00000.parquet.inprogress", ".predictions-00001.parquet.inprogress"),
                listDir());

        assertEquals(List.of(2L, 1L), writer.close().stream().map(CompletedFile::rows).toList());
        assertEquals(List.of("predictions-00000.parquet", "predictions-00001.parquet"), listDir());
        assertThrows(IllegalStateException.class, () -> writer.write(prediction(1)));
        assertEquals(List.of(), writer.close());
    }

    @Test
    void emptyWriterCreatesNoFile() throws IOException {
        Path sub = dir.resolve("job-1");
        var writer = new RollingParquetWriter<>(sub, "predictions", new PredictionFormat(), 10, 1 << 20);
        assertEquals(List.of(), writer.roll());
        assertEquals(List.of(), writer.close());
        assertFalse(Files.exists(sub));
    }

    @Test
    void numberingContinuesAfterExistingFiles() throws IOException {
        Files.writeString(dir.resolve("predictions-00007.parquet"), "from an earlier run");
        RollingParquetWriter<PredictionRow> writer = predictions(1000, 64 << 20, CompressionCodecName.ZSTD);
        writer.write(prediction(0));
        assertEquals(dir.resolve("predictions-00008.parquet"), writer.close().get(0).path());
    }

    @Test
    void badRowIsRejectedWithoutHarmingTheFile() throws IOException {
        RollingParquetWriter<PredictionRow> writer = predictions(1000, 64 << 20, CompressionCodecName.ZSTD);
        writer.write(prediction(0));
        var mismatched = new PredictionRow("bad", "s", 0, 0, 0, List.of("a", "b"), new float[] {1f}, "m");
        var e = assertThrows(IllegalArgumentException.class, () -> writer.write(mismatched));
        assertTrue(e.getMessage().contains("bad"), e.getMessage());
        writer.write(prediction(3));
        List<CompletedFile> files = writer.close();
        assertEquals(2, files.get(0).rows());
        assertEquals(List.of("row-0", "row-3"),
                ParquetRows.read(files.get(0).path()).stream().map(g -> g.getString("row_id", 0)).toList());
    }

    @Test
    void abortDiscardsUnreportedFilesAndKeepsPublishedOnes() throws IOException {
        RollingParquetWriter<PredictionRow> writer = predictions(2, 64 << 20, CompressionCodecName.ZSTD);
        writer.write(prediction(0));
        assertEquals(1, writer.roll().size());
        for (int i = 1; i < 4; i++) {
            writer.write(prediction(i)); // 1-2 finish a hidden file, 3 is in progress
        }
        assertEquals(3, writer.pendingRows());
        writer.abort();
        assertEquals(List.of("predictions-00000.parquet"), listDir());
        assertEquals(List.of(), writer.roll());
        assertThrows(IllegalStateException.class, () -> writer.write(prediction(4)));
    }

    @Test
    void anIoFailureDiscardsUnreportedRowsAndClosesTheWriter() throws IOException {
        RollingParquetWriter<PredictionRow> writer = predictions(1, 64 << 20, CompressionCodecName.ZSTD);
        writer.write(prediction(0));
        writer.write(prediction(1));
        Files.delete(dir.resolve(".predictions-00000.parquet.inprogress")); // the rename in roll() will fail

        assertThrows(java.nio.file.NoSuchFileException.class, writer::roll);
        assertEquals(List.of(), listDir());
        assertThrows(IllegalStateException.class, () -> writer.write(prediction(2)));
    }

    @Test
    void deadLettersRoundTripWithoutPayloadBytes() throws IOException {
        List<DeadLetterRow> rows = List.of(
                new DeadLetterRow("row-1", "/data/a.jpg", "preprocessor", "javax.imageio.IIOException",
                        "Unsupported JPEG process", 1_700_000_000_001L, new byte[1234]),
                new DeadLetterRow("block:tensors-3@42", null, "inference", "java.lang.IllegalStateException", null,
                        1_700_000_000_002L, null),
                new DeadLetterRow("row-3", "kbi.input-0@7", "writer", "java.io.IOException", "", 1_700_000_000_003L,
                        new byte[0], "caller-key-3"));
        var writer = new RollingParquetWriter<>(dir, "dead-letters", new DeadLetterFormat(), 1000, 1 << 20);
        for (DeadLetterRow row : rows) {
            writer.write(row);
        }
        List<CompletedFile> files = writer.close();
        assertEquals(List.of(new CompletedFile(dir.resolve("dead-letters-00000.parquet"), 3)), files);

        List<Group> read = ParquetRows.read(files.get(0).path());
        assertEquals(3, read.size());
        for (int i = 0; i < rows.size(); i++) {
            DeadLetterRow expected = rows.get(i);
            Group row = read.get(i);
            assertEquals(expected.rowId(), row.getString("row_id", 0));
            assertEquals(expected.source(), ParquetRows.isNull(row, "source") ? null : row.getString("source", 0));
            assertEquals(expected.stage(), row.getString("stage", 0));
            assertEquals(expected.errorClass(), row.getString("error_class", 0));
            assertEquals(expected.message(), ParquetRows.isNull(row, "message") ? null : row.getString("message", 0));
            assertEquals(expected.failedAtMillis(), row.getLong("failed_at_ms", 0));
            assertEquals(expected.payload() == null ? null : (long) expected.payload().length,
                    ParquetRows.isNull(row, "payload_size") ? null : row.getLong("payload_size", 0));
            assertEquals(expected.key(), ParquetRows.isNull(row, "key") ? null : row.getString("key", 0));
        }
        MessageType schema = ParquetRows.footer(files.get(0).path()).getFileMetaData().getSchema();
        assertEquals(List.of("row_id", "source", "stage", "error_class", "message", "failed_at_ms", "payload_size",
                "key"),
                schema.getFields().stream().map(f -> f.getName()).toList());
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
