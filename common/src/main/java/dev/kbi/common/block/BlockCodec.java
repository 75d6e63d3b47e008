package dev.kbi.common.block;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
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

    /**
     * How many times its record's size a block may take once decoded: room for LZ4_FRAME or ZSTD
     * compressed bodies (tensors and predictions compress a few times over), while bounding a
     * decompression bomb.
     */
    static final int MAX_EXPANSION = 8;

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
        // Uncompressed IPC never needs more memory than the record's bytes (plus padding), a compressed
        // body up to its expansion: a corrupt length or a decompression bomb fails here instead of
        // exhausting direct memory.
        long limit = MAX_EXPANSION * bytes.length + (1 << 20);
        long declared;
        try {
            declared = DeclaredBodySize.of(bytes);
        } catch (BlockFormatException e) {
            throw new BlockFormatException("Not a readable Arrow IPC stream of " + schema.name() + ": " + e.getMessage(), e);
        }
        if (declared > limit) {
            throw new BlockFormatException("Not a readable Arrow IPC stream of " + schema.name() + ": its buffers "
                    + "declare " + declared + " bytes once decompressed, over " + MAX_EXPANSION + " times its "
                    + bytes.length + " bytes (refused as a possible decompression bomb)");
        }
        try (BufferAllocator allocator = root.newChildAllocator("decode", 0, limit)) {
            ReadChannel in = new ReadChannel(Channels.newChannel(new ByteArrayInputStream(bytes)));
            Schema actual = MessageSerializer.deserializeSchema(in);
            requireSchema(schema, actual);
            List<R> rows = new ArrayList<>();
            try (VectorSchemaRoot vectors = VectorSchemaRoot.create(actual, allocator)) {
                VectorLoader loader = new VectorLoader(vectors, CommonsCompressionFactory.INSTANCE);
                for (MessageMetadataResult message = MessageSerializer.readMessage(in); message != null;
                        message = MessageSerializer.readMessage(in)) {
                    load(message, in, allocator, loader);
                    requireValues(schema, vectors);
                    for (int i = 0; i < vectors.getRowCount(); i++) {
                        rows.add(schema.read(vectors, i));
                    }
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
     * Loads one record batch into the loader's vectors. Arrow's own stream reader leaks the message
     * body when the batch's metadata is corrupt (about 512 bytes of direct memory per bad record,
     * found by {@code BlockCodecTest}'s corrupted blocks); here a body no batch took is released.
     */
    private static void load(MessageMetadataResult message, ReadChannel in, BufferAllocator allocator,
            VectorLoader loader) throws IOException {
        if (message.getMessage().headerType() != MessageHeader.RecordBatch) {
            throw new BlockFormatException("Arrow IPC message of type " + message.getMessage().headerType()
                    + " where a record batch was expected (a block holds no dictionaries)");
        }
        ArrowBuf body = MessageSerializer.readMessageBody(in, message.getMessageBodyLength(), allocator);
        ArrowRecordBatch batch;
        try {
            // On success the batch holds the body (deserializeRecordBatch releases its own reference).
            batch = MessageSerializer.deserializeRecordBatch(message.getMessage(), body);
        } catch (IOException | RuntimeException e) {
            body.close();
            throw e;
        }
        try (batch) {
            loader.load(batch);
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

    /**
     * The block's columns are the schema's, matched by name in any order: each of the same type, none
     * missing but the schema's optional ones ({@link RowSchema#optionalColumns}), none unknown (a
     * column this project would drop is refused rather than lost). A column the schema requires may
     * be declared nullable (pyarrow's default), as long as it holds no null ({@link #requireValues});
     * field metadata is ignored.
     */
    private static void requireSchema(RowSchema<?> expected, Schema actual) {
        List<String> problems = new ArrayList<>();
        for (Field want : expected.arrowSchema().getFields()) {
            Field got = field(actual, want.getName());
            if (got == null) {
                if (!expected.optionalColumns().contains(want.getName())) {
                    problems.add("column " + want.getName() + " is missing");
                }
            } else if (!sameColumns(List.of(want), List.of(got))) {
                problems.add("column " + want.getName() + " is " + got + ", not " + want);
            }
        }
        for (Field got : actual.getFields()) {
            if (field(expected.arrowSchema(), got.getName()) == null) {
                problems.add("column " + got.getName() + " is not one of " + expected.name());
            }
        }
        if (!problems.isEmpty()) {
            throw new BlockFormatException("Wrong block schema: " + String.join("; ", problems) + " (expected "
                    + expected.name() + " " + expected.arrowSchema().getFields()
                    + "; columns match by name, nullable columns are accepted)");
        }
    }

    private static Field field(Schema schema, String name) {
        return schema.getFields().stream().filter(f -> f.getName().equals(name)).findFirst().orElse(null);
    }

    private static boolean sameColumns(List<Field> expected, List<Field> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            Field want = expected.get(i);
            Field got = actual.get(i);
            if (!want.getName().equals(got.getName()) || !want.getType().equals(got.getType())
                    || !sameColumns(want.getChildren(), got.getChildren())) {
                return false;
            }
        }
        return true;
    }

    /** Every value the schema requires is there: a column declared nullable by its writer may hold nulls. */
    private static void requireValues(RowSchema<?> schema, VectorSchemaRoot vectors) {
        for (Field field : schema.arrowSchema().getFields()) {
            FieldVector vector = vectors.getVector(field.getName());
            if (vector != null) {
                requireValues(schema, field, vector);
            }
        }
    }

    private static void requireValues(RowSchema<?> schema, Field field, FieldVector vector) {
        if (!field.isNullable() && vector.getNullCount() > 0) {
            int row = 0;
            while (!vector.isNull(row)) {
                row++;
            }
            throw new BlockFormatException("Column " + field.getName() + " of " + schema.name() + " holds a null at "
                    + "index " + row + ", where a value is required");
        }
        List<FieldVector> children = vector.getChildrenFromFields();
        for (int i = 0; i < field.getChildren().size() && i < children.size(); i++) {
            requireValues(schema, field.getChildren().get(i), children.get(i));
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
