package dev.kbi.common.block;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Encodes rows as one Apache Arrow IPC stream (one record batch) and decodes it back. The bytes are
 * what a Kafka record value holds; any Arrow implementation (pyarrow, arrow-rs...) can read them.
 *
 * <p>Thread-safe: each call works on its own child allocator, closed before returning, so no Arrow
 * memory outlives a call.
 */
public final class BlockCodec implements AutoCloseable {

    /** MIME type of the Arrow IPC streaming format, sent in the {@code content-type} header. */
    public static final String CONTENT_TYPE = "application/vnd.apache.arrow.stream";

    private final BufferAllocator root = new RootAllocator();

    /** Encodes {@code rows} (may be empty) as Arrow IPC stream bytes. */
    public <R> byte[] encode(RowSchema<R> schema, List<R> rows) {
        try (BufferAllocator allocator = root.newChildAllocator("encode", 0, Long.MAX_VALUE);
                VectorSchemaRoot vectors = VectorSchemaRoot.create(schema.arrowSchema(), allocator)) {
            schema.write(vectors, rows);
            vectors.setRowCount(rows.size());
            ByteArrayOutputStream out = new ByteArrayOutputStream(estimateSize(vectors));
            try (ArrowStreamWriter writer = new ArrowStreamWriter(vectors, null, Channels.newChannel(out))) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("Could not encode a block of " + schema.name(), e);
        }
    }

    /**
     * Decodes Arrow IPC stream bytes into rows.
     *
     * @throws BlockFormatException if the bytes are not an Arrow stream or carry another schema
     */
    public <R> List<R> decode(RowSchema<R> schema, byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new BlockFormatException("Empty record value: expected an Arrow IPC stream of " + schema.name());
        }
        requirePlausibleFraming(schema, bytes);
        // Uncompressed IPC: the vectors never need more memory than the record's bytes (plus padding),
        // so a corrupt length inside the stream fails here instead of exhausting direct memory.
        long limit = 2L * bytes.length + (1 << 20);
        try (BufferAllocator allocator = root.newChildAllocator("decode", 0, limit);
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(bytes), allocator)) {
            VectorSchemaRoot vectors = reader.getVectorSchemaRoot();
            requireSchema(schema, vectors.getSchema());
            List<R> rows = new ArrayList<>();
            while (reader.loadNextBatch()) {
                for (int i = 0; i < vectors.getRowCount(); i++) {
                    rows.add(schema.read(vectors, i));
                }
            }
            return rows;
        } catch (BlockFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BlockFormatException("Not a readable Arrow IPC stream of " + schema.name() + ": " + e, e);
        }
    }

    /**
     * The stream's first message starts with its metadata length (after an optional 0xFFFFFFFF
     * continuation marker). Arrow allocates that many bytes before reading them, so arbitrary bytes
     * (text, JSON) read as a length of gigabytes would exhaust the heap: refuse any length the record
     * cannot hold.
     */
    private static void requirePlausibleFraming(RowSchema<?> schema, byte[] bytes) {
        if (bytes.length < 8) {
            throw new BlockFormatException("Not an Arrow IPC stream of " + schema.name() + ": only " + bytes.length
                    + " bytes");
        }
        ByteBuffer prefix = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
        int first = prefix.getInt(0);
        long metadataLength = Integer.toUnsignedLong(first == -1 ? prefix.getInt(4) : first);
        if (metadataLength > bytes.length) {
            throw new BlockFormatException("Not an Arrow IPC stream of " + schema.name() + ": its first message "
                    + "declares " + metadataLength + " bytes of metadata in a record of " + bytes.length + " bytes");
        }
    }

    private static void requireSchema(RowSchema<?> expected, Schema actual) {
        if (!expected.arrowSchema().getFields().equals(actual.getFields())) {
            throw new BlockFormatException("Wrong block schema: expected " + expected.name() + " "
                    + expected.arrowSchema().getFields() + " but got " + actual.getFields());
        }
    }

    private static int estimateSize(VectorSchemaRoot vectors) {
        long bytes = 1024;
        for (var vector : vectors.getFieldVectors()) {
            bytes += vector.getBufferSize();
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE - 8);
    }

    @Override
    public void close() {
        root.close();
    }
}
