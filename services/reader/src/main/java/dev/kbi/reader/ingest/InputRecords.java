package dev.kbi.reader.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.job.JobIds;
import dev.kbi.common.job.RowIds;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.runtime.BlockIntake;
import dev.kbi.reader.InputFiles;
import dev.kbi.reader.InputListing;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one record of the input topic into image rows, by its {@link InputFormat}. Everything in
 * it is untrusted: keys and ids are checked ({@link RowIds}), references are read only under
 * {@code reader.allowed-roots}, sizes are bounded; a record that fails any check is refused whole
 * ({@link RefusedRecord}, or the reader's and codec's own errors) and dead-lettered by the caller.
 *
 * <p>Each row keeps the record's key ({@code key} column, the results topic's key). Its id is, in
 * order: a reference's {@code id}, the {@code kbi-row-id} header, the key, and the record's position
 * ({@code <topic>-<partition>@<offset>}); its {@code source} is the referenced file or that position.
 */
final class InputRecords {

    /** Header naming the row, when the record key is not its id. */
    static final String ROW_ID = "kbi-row-id";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> REFERENCE_FIELDS = Set.of("id", "uri", "path");

    private final BlockCodec codec;
    /** Null when no {@code reader.allowed-roots} are set: references are then refused. */
    private final InputFiles files;
    private final long maxRecordBytes;

    InputRecords(BlockCodec codec, InputFiles files, long maxRecordBytes) {
        this.codec = codec;
        this.files = files;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The record's rows: one for an image or a reference, the block's for Arrow. */
    List<ImageRow> rows(ConsumerRecord<byte[], byte[]> record) throws RefusedRecord, IOException {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw new RefusedRecord.EmptyRecord("The record has no value: expected an image, a JSON reference or "
                    + "an Arrow block");
        }
        if (value.length > maxRecordBytes) {
            throw new RefusedRecord.RecordTooLarge("Record of " + value.length + " bytes exceeds "
                    + "reader.max-file-bytes=" + maxRecordBytes);
        }
        String key = keyOf(record);
        long now = System.currentTimeMillis();
        return switch (InputFormat.of(record)) {
            case IMAGE -> List.of(new ImageRow(rowId(record, key, null), position(record), now, value, key));
            case REFERENCE -> List.of(reference(record, key, now));
            case ARROW -> arrowRows(record);
        };
    }

    /** Best-effort id of a record that is refused: its row id when that is valid, else its position. */
    static String describe(ConsumerRecord<byte[], byte[]> record) {
        try {
            return rowId(record, keyOf(record), null);
        } catch (RefusedRecord e) {
            return position(record);
        }
    }

    /** The record's key when it is valid, else null: what a dead letter of the record carries as its key. */
    static String keyOrNull(ConsumerRecord<byte[], byte[]> record) {
        try {
            return keyOf(record);
        } catch (RefusedRecord e) {
            return null;
        }
    }

    /** The record's place on its topic: {@code <topic>-<partition>@<offset>}. */
    static String position(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private ImageRow reference(ConsumerRecord<byte[], byte[]> record, String key, long now)
            throws RefusedRecord, IOException {
        if (files == null) {
            throw new RefusedRecord.MalformedReference("File references are refused: the reader service has no "
                    + "reader.allowed-roots to read them under");
        }
        JsonNode json;
        try {
            json = JSON.readTree(record.value());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RefusedRecord.MalformedReference("Not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new RefusedRecord.MalformedReference("A reference is a JSON object {\"id\": ..., \"uri\": "
                    + "\"file:///...\"}, not " + (json == null ? "nothing" : json.getNodeType()));
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!REFERENCE_FIELDS.contains(name)) {
                throw new RefusedRecord.MalformedReference("Unknown field " + JobIds.quote(name) + " in a reference "
                        + "(fields: id, uri or path)");
            }
        }
        Path path = path(json);
        String id = textOrNull(json, "id");
        byte[] bytes = files.read(new InputListing.Entry(path, null));
        return new ImageRow(rowId(record, key, id), path.toString(), now, bytes, key);
    }

    private static Path path(JsonNode json) throws RefusedRecord {
        String uri = textOrNull(json, "uri");
        String path = textOrNull(json, "path");
        if ((uri == null) == (path == null)) {
            throw new RefusedRecord.MalformedReference("A reference names its file by exactly one of \"uri\" "
                    + "(file:///...) or \"path\" (absolute)");
        }
        try {
            if (uri != null) {
                URI parsed = new URI(uri);
                if (!"file".equalsIgnoreCase(parsed.getScheme())) {
                    throw new RefusedRecord.MalformedReference("Only file: URIs can be read, not " + JobIds.quote(uri));
                }
                return Path.of(parsed);
            }
            Path given = Path.of(path);
            if (!given.isAbsolute()) {
                throw new RefusedRecord.MalformedReference("A reference's path must be absolute, not "
                        + JobIds.quote(path));
            }
            return given;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new RefusedRecord.MalformedReference("Not a file URI or path: " + JobIds.quote(uri != null ? uri
                    : path) + " (" + e.getMessage() + ")");
        }
    }

    private static String textOrNull(JsonNode json, String field) throws RefusedRecord {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new RefusedRecord.MalformedReference("Field " + field + " must be a string, not "
                    + node.getNodeType());
        }
        return node.asText();
    }

    private List<ImageRow> arrowRows(ConsumerRecord<byte[], byte[]> record) throws RefusedRecord {
        List<ImageRow> rows = BlockIntake.decode(codec, ImageRow.SCHEMA, record);
        List<ImageRow> checked = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            ImageRow row = rows.get(i);
            requireValid("row_id of row " + i, row.rowId());
            if (row.key() != null) {
                requireValid("key of row " + i, row.key());
            }
            checked.add(row);
        }
        return checked;
    }

    /** The row's id: the reference's, else the header's, else the key, else the record's position. */
    private static String rowId(ConsumerRecord<byte[], byte[]> record, String key, String referenceId)
            throws RefusedRecord {
        if (referenceId != null) {
            return requireValid("The reference's id", referenceId);
        }
        String header = BlockHeaders.get(record.headers(), ROW_ID);
        if (header != null) {
            return requireValid("Header " + ROW_ID, header);
        }
        return key != null ? key : position(record);
    }

    /** The record key as text, or null for none. */
    private static String keyOf(ConsumerRecord<byte[], byte[]> record) throws RefusedRecord {
        if (record.key() == null) {
            return null;
        }
        try {
            String key = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(record.key())).toString();
            return requireValid("The record key", key);
        } catch (CharacterCodingException e) {
            throw new RefusedRecord.InvalidId("The record key is not UTF-8 text");
        }
    }

    private static String requireValid(String what, String value) throws RefusedRecord {
        String problem = RowIds.problem(value);
        if (problem != null) {
            throw new RefusedRecord.InvalidId(what + " " + problem);
        }
        return value;
    }
}
