package dev.kbi.reader.ingest;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The formats the input topic takes, one per record, chosen by its {@code content-type} header
 * (parameters such as {@code ; charset=utf-8} ignored). A record without one is recognised by its
 * first bytes: an Arrow IPC stream starts with its continuation marker {@code FF FF FF FF}, a JSON
 * reference with {@code {}; anything else is taken as image bytes (the preprocessor says so when
 * they are not).
 */
enum InputFormat {

    /** {@code image/*}: the record's value is one encoded image, one row. */
    IMAGE,
    /** {@code application/json}: {@code {"id": "...", "uri": "file:///..."}}, one row read from a file. */
    REFERENCE,
    /** {@code application/vnd.apache.arrow.stream}: a block of {@code kbi.image.v1} rows. */
    ARROW;

    static final String JSON = "application/json";

    /** The record's format. */
    static InputFormat of(ConsumerRecord<byte[], byte[]> record) throws RefusedRecord {
        String header = BlockHeaders.get(record.headers(), BlockHeaders.CONTENT_TYPE);
        if (header == null) {
            return sniff(record.value());
        }
        String type = header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("image/")) {
            return IMAGE;
        }
        if (type.equals(JSON)) {
            return REFERENCE;
        }
        if (type.equals(BlockCodec.CONTENT_TYPE)) {
            return ARROW;
        }
        throw new RefusedRecord.UnsupportedContentType("Unsupported content-type " + quote(header) + ": the input "
                + "topic takes image/* (one encoded image), " + JSON + " (a file reference) or "
                + BlockCodec.CONTENT_TYPE + " (a block of kbi.image.v1 rows)");
    }

    private static InputFormat sniff(byte[] value) {
        if (value.length >= 4 && value[0] == -1 && value[1] == -1 && value[2] == -1 && value[3] == -1) {
            return ARROW;
        }
        for (byte b : value) {
            if (b == '{') {
                return REFERENCE;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                break;
            }
        }
        return IMAGE;
    }

    private static String quote(String value) {
        return dev.kbi.common.job.JobIds.quote(value);
    }
}
