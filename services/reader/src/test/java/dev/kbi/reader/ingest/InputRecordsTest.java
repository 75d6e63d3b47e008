package dev.kbi.reader.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockFormatException;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.reader.AllowedRoots;
import dev.kbi.reader.InputFiles;
import dev.kbi.reader.PathOutsideAllowedRoots;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputRecordsTest {

    private static final BlockCodec CODEC = new BlockCodec();
    private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    @TempDir
    Path roots;
    private InputRecords inputs;

    @BeforeEach
    void setUp() {
        inputs = new InputRecords(CODEC, new InputFiles(new AllowedRoots(List.of(roots)), 1000), 4096);
    }

    @AfterAll
    static void close() {
        CODEC.close();
    }

    @Test
    void aRawImageIsOneRowNamedByItsKeyOrItsRowIdHeaderOrItsPosition() throws Exception {
        ImageRow keyed = only(inputs.rows(record("k-1", IMAGE, "content-type", "image/png")));
        assertEquals("k-1", keyed.rowId());
        assertEquals("k-1", keyed.key());
        assertEquals("kbi.input-2@7", keyed.source());
        assertArrayEquals(IMAGE, keyed.bytes());

        ImageRow named = only(inputs.rows(record("k-2", IMAGE, "kbi-row-id", "row-2")));
        assertEquals("row-2", named.rowId());
        assertEquals("k-2", named.key());

        ImageRow keyless = only(inputs.rows(record(null, IMAGE, "content-type", "image/jpeg; q=1")));
        assertEquals("kbi.input-2@7", keyless.rowId());
        assertNull(keyless.key());
    }

    @Test
    void aReferenceIsReadUnderTheAllowedRootsOnly() throws Exception {
        Path file = Files.write(roots.resolve("a.png"), IMAGE);
        ImageRow byUri = only(inputs.rows(record("k", json("{\"id\": \"ref-1\", \"uri\": \"" + file.toUri() + "\"}"),
                "content-type", "application/json; charset=utf-8")));
        assertEquals("ref-1", byUri.rowId());
        assertEquals("k", byUri.key());
        assertArrayEquals(IMAGE, byUri.bytes());
        ImageRow byPath = only(inputs.rows(record("k", json(" {\"path\": \"" + file + "\"}"))));
        assertEquals("k", byPath.rowId(), "sniffed as JSON, named by its key");
        assertEquals(file.toString(), byPath.source());

        assertThrows(PathOutsideAllowedRoots.class,
                () -> inputs.rows(record("k", json("{\"path\": \"" + roots.resolve("../x.png").normalize() + "\"}"))));
        assertThrows(NoSuchFileException.class,
                () -> inputs.rows(record("k", json("{\"path\": \"" + roots.resolve("missing.png") + "\"}"))));
        InputRecords noRoots = new InputRecords(CODEC, null, 100);
        RefusedRecord e = assertThrows(RefusedRecord.MalformedReference.class,
                () -> noRoots.rows(record("k", json("{\"path\": \"" + file + "\"}"))));
        assertTrue(e.getMessage().contains("reader.allowed-roots"), e.getMessage());
    }

    @Test
    void malformedReferencesAreRefusedWithTheReason() {
        assertRefused(RefusedRecord.MalformedReference.class, "Not valid JSON", json("{\"uri\": "));
        assertRefused(RefusedRecord.MalformedReference.class, "not ARRAY", json("[1]"));
        assertRefused(RefusedRecord.MalformedReference.class, "Unknown field 'size'", json("{\"path\": \"/a\", \"size\": 1}"));
        assertRefused(RefusedRecord.MalformedReference.class, "Only file: URIs", json("{\"uri\": \"http://h/a.png\"}"));
        assertRefused(RefusedRecord.MalformedReference.class, "must be absolute", json("{\"path\": \"a.png\"}"));
        assertRefused(RefusedRecord.MalformedReference.class, "exactly one of", json("{\"id\": \"x\"}"));
        assertRefused(RefusedRecord.MalformedReference.class, "must be a string", json("{\"path\": 3}"));
    }

    @Test
    void badKeysIdsContentTypesAndSizesAreRefused() {
        assertRefused(RefusedRecord.UnsupportedContentType.class, "Unsupported content-type 'text/plain'",
                record("k", IMAGE, "content-type", "text/plain"));
        assertRefused(RefusedRecord.EmptyRecord.class, "no value", record("k", new byte[0]));
        assertRefused(RefusedRecord.EmptyRecord.class, "no value", record("k", null));
        assertRefused(RefusedRecord.RecordTooLarge.class, "reader.max-file-bytes=4096", record("k", new byte[4097]));
        assertRefused(RefusedRecord.InvalidId.class, "control character", record("a\nb", IMAGE));
        assertRefused(RefusedRecord.InvalidId.class, "not UTF-8", new ConsumerRecord<>("kbi.input", 2, 7L, 0L,
                TimestampType.CREATE_TIME, 0, 0, new byte[] {(byte) 0xff, (byte) 0xfe}, IMAGE, new RecordHeaders(),
                Optional.empty()));
        assertRefused(RefusedRecord.InvalidId.class, "over 1024", record("k", IMAGE, "kbi-row-id", "x".repeat(1025)));
        assertEquals("kbi.input-2@7", InputRecords.describe(record("a\nb", IMAGE)), "a bad key names no letter");
    }

    @Test
    void anArrowBlockKeepsItsRowsAndKeysAndAnotherSchemaIsRefused() throws Exception {
        byte[] block = CODEC.encode(ImageRow.SCHEMA, List.of(new ImageRow("a-1", "s", 1L, IMAGE, "key-1"),
                new ImageRow("a-2", "s", 1L, IMAGE)));
        List<ImageRow> rows = inputs.rows(record(null, block));
        assertEquals(List.of("a-1", "a-2"), rows.stream().map(ImageRow::rowId).toList());
        assertEquals("key-1", rows.get(0).key());
        assertNull(rows.get(1).key());
        byte[] wrong = CODEC.encode(DeadLetterRow.SCHEMA, List.of(new DeadLetterRow("x", "x", "s", "c", "m", 1L, null)));
        BlockFormatException e = assertThrows(BlockFormatException.class,
                () -> inputs.rows(record(null, wrong, "content-type", BlockCodec.CONTENT_TYPE)));
        assertTrue(e.getMessage().contains("column image is missing"), e.getMessage());
    }

    private void assertRefused(Class<? extends RefusedRecord> kind, String reason, byte[] value) {
        assertRefused(kind, reason, record("k", value, "content-type", "application/json"));
    }

    private void assertRefused(Class<? extends RefusedRecord> kind, String reason,
            ConsumerRecord<byte[], byte[]> record) {
        RefusedRecord e = assertThrows(kind, () -> inputs.rows(record));
        assertTrue(e.getMessage().contains(reason), "'" + e.getMessage() + "' lacks '" + reason + "'");
    }

    private static ImageRow only(List<ImageRow> rows) {
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value, String... headers) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>("kbi.input", 2, 7L, 0L, TimestampType.CREATE_TIME, 0, 0,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, h, Optional.empty());
    }
}
