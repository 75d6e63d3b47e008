package dev.kbi.common.block;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The Kafka headers every block record carries. They let tools (and the lag monitor) count rows and
 * route blocks without decoding the Arrow value.
 */
public final class BlockHeaders {

    public static final String JOB_ID = "kbi-job-id";
    public static final String BLOCK_SEQ = "kbi-block-seq";
    public static final String ROW_COUNT = "kbi-row-count";
    public static final String SCHEMA = "kbi-schema";
    public static final String CONTENT_TYPE = "content-type";

    private BlockHeaders() {
    }

    /** Headers of a block of {@code rowCount} rows of {@code schema} for {@code jobId}. */
    public static Headers of(String jobId, String blockSeq, int rowCount, RowSchema<?> schema) {
        RecordHeaders headers = new RecordHeaders();
        put(headers, JOB_ID, jobId);
        put(headers, BLOCK_SEQ, blockSeq);
        put(headers, ROW_COUNT, Integer.toString(rowCount));
        put(headers, SCHEMA, schema.name());
        put(headers, CONTENT_TYPE, BlockCodec.CONTENT_TYPE);
        return headers;
    }

    /** The value of header {@code key}, or null when absent. */
    public static String get(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The row count header, or -1 when absent or unreadable. */
    public static int rowCount(Headers headers) {
        try {
            String value = get(headers, ROW_COUNT);
            return value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
