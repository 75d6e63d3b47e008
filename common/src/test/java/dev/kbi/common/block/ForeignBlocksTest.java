package dev.kbi.common.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.rows.ImageRow;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Image blocks as other Arrow writers make them, not as {@link BlockCodec#encode} does: every column
 * nullable (pyarrow's default for a schema built from types), bodies compressed with LZ4_FRAME or
 * ZSTD (pyarrow's {@code IpcWriteOptions(compression=...)}). Accepted while every required value
 * is there; refused, saying which column and where, when one is null; refused as a bomb when the
 * body expands past {@link BlockCodec#MAX_EXPANSION} times the record.
 */
class ForeignBlocksTest {

    private static final BlockCodec CODEC = new BlockCodec();
    private static final BufferAllocator ALLOCATOR = new RootAllocator();
    /** kbi.image.v1 with every column nullable. */
    private static final Schema NULLABLE_IMAGE = new Schema(List.of(
            new Field("row_id", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
            new Field("source", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
            new Field("read_at_ms", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("size", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("image", FieldType.nullable(ArrowType.Binary.INSTANCE), null)));

    @AfterAll
    static void close() {
        CODEC.close();
        ALLOCATOR.close();
    }

    @Test
    void nullableColumnsAreAcceptedWhenEveryRequiredValueIsThere() {
        List<ImageRow> rows = CODEC.decode(ImageRow.SCHEMA, block(new String[] {"a-0", "a-1"}, new byte[][] {
                {1, 2}, {3}}, CompressionUtil.CodecType.NO_COMPRESSION));
        assertEquals(List.of("a-0", "a-1"), rows.stream().map(ImageRow::rowId).toList());
        assertArrayEquals(new byte[] {3}, rows.get(1).bytes());
    }

    @Test
    void columnsMatchByNameTheOptionalKeyMayBeMissingAndAnUnknownColumnIsRefused() {
        // NULLABLE_IMAGE has no key column: the rows read with a null key.
        List<ImageRow> rows = CODEC.decode(ImageRow.SCHEMA, block(new String[] {"a-0"}, new byte[][] {{1}},
                CompressionUtil.CodecType.NO_COMPRESSION));
        assertEquals(null, rows.get(0).key());
        Schema reordered = new Schema(List.of(NULLABLE_IMAGE.getFields().get(4), NULLABLE_IMAGE.getFields().get(0),
                NULLABLE_IMAGE.getFields().get(1), NULLABLE_IMAGE.getFields().get(2), NULLABLE_IMAGE.getFields().get(3),
                new Field("key", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
        ImageRow read = CODEC.decode(ImageRow.SCHEMA, block(reordered, "k-0")).get(0);
        assertEquals("a-0", read.rowId());
        assertEquals("k-0", read.key());
        Schema extra = new Schema(List.of(NULLABLE_IMAGE.getFields().get(0), NULLABLE_IMAGE.getFields().get(1),
                NULLABLE_IMAGE.getFields().get(2), NULLABLE_IMAGE.getFields().get(3), NULLABLE_IMAGE.getFields().get(4),
                new Field("label", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
        BlockFormatException e = assertThrows(BlockFormatException.class,
                () -> CODEC.decode(ImageRow.SCHEMA, block(extra, "cat")));
        assertTrue(e.getMessage().startsWith("Wrong block schema: column label is not one of kbi.image.v1"),
                e.getMessage());
    }

    /** One row {@code a-0} of {@code schema} (image columns and one more utf8 column holding {@code extra}). */
    private static byte[] block(Schema schema, String extra) {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, ALLOCATOR)) {
            ((VarCharVector) root.getVector("row_id")).setSafe(0, "a-0".getBytes(StandardCharsets.UTF_8));
            ((VarCharVector) root.getVector("source")).setSafe(0, "s".getBytes(StandardCharsets.UTF_8));
            ((BigIntVector) root.getVector("read_at_ms")).setSafe(0, 1L);
            ((BigIntVector) root.getVector("size")).setSafe(0, 1L);
            ((VarBinaryVector) root.getVector("image")).setSafe(0, new byte[] {1});
            ((VarCharVector) root.getVector(schema.getFields().get(5).getName()))
                    .setSafe(0, extra.getBytes(StandardCharsets.UTF_8));
            root.setRowCount(1);
            return write(root, CompressionUtil.CodecType.NO_COMPRESSION);
        }
    }

    @Test
    void aNullWhereAValueIsRequiredIsRefusedNamingTheColumnAndIndex() {
        BlockFormatException e = assertThrows(BlockFormatException.class, () -> CODEC.decode(ImageRow.SCHEMA,
                block(new String[] {"a-0", "a-1"}, new byte[][] {{1}, null}, CompressionUtil.CodecType.NO_COMPRESSION)));
        assertEquals("Column size of kbi.image.v1 holds a null at index 1, where a value is required",
                e.getMessage());
        e = assertThrows(BlockFormatException.class, () -> CODEC.decode(ImageRow.SCHEMA,
                block(new String[] {null}, new byte[][] {{1}}, CompressionUtil.CodecType.NO_COMPRESSION)));
        assertTrue(e.getMessage().startsWith("Column row_id of kbi.image.v1 holds a null at index 0"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionUtil.CodecType.class, names = {"LZ4_FRAME", "ZSTD"})
    void compressedBodiesAreAccepted(CompressionUtil.CodecType codec) {
        byte[] image = "a compressible image body ".repeat(40).getBytes(StandardCharsets.UTF_8);
        byte[] compressed = block(new String[] {"c-0"}, new byte[][] {image}, codec);
        byte[] plain = block(new String[] {"c-0"}, new byte[][] {image}, CompressionUtil.CodecType.NO_COMPRESSION);
        assertTrue(compressed.length < plain.length, codec + ": " + compressed.length + " vs " + plain.length);
        assertArrayEquals(image, CODEC.decode(ImageRow.SCHEMA, compressed).get(0).bytes());
    }

    @Test
    void aBodyThatExpandsPastTheLimitIsRefused() {
        byte[] zeros = new byte[64 << 20];
        byte[] bomb = block(new String[] {"b-0"}, new byte[][] {zeros}, CompressionUtil.CodecType.ZSTD);
        assertTrue(bomb.length * (long) BlockCodec.MAX_EXPANSION + (1 << 20) < zeros.length, "a bomb: " + bomb.length);
        BlockFormatException e = assertThrows(BlockFormatException.class, () -> CODEC.decode(ImageRow.SCHEMA, bomb));
        assertTrue(e.getMessage().endsWith("(refused as a possible decompression bomb)"), e.getMessage());
        assertTrue(e.getMessage().contains("its buffers declare "), e.getMessage());
    }

    /** One record batch of {@link #NULLABLE_IMAGE}, a null where an array element is null. */
    private static byte[] block(String[] rowIds, byte[][] images, CompressionUtil.CodecType codec) {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(NULLABLE_IMAGE, ALLOCATOR)) {
            VarCharVector ids = (VarCharVector) root.getVector("row_id");
            VarCharVector sources = (VarCharVector) root.getVector("source");
            BigIntVector readAt = (BigIntVector) root.getVector("read_at_ms");
            BigIntVector size = (BigIntVector) root.getVector("size");
            VarBinaryVector bytes = (VarBinaryVector) root.getVector("image");
            for (int i = 0; i < rowIds.length; i++) {
                if (rowIds[i] == null) {
                    ids.setNull(i);
                } else {
                    ids.setSafe(i, rowIds[i].getBytes(StandardCharsets.UTF_8));
                }
                sources.setSafe(i, ("s" + i).getBytes(StandardCharsets.UTF_8));
                readAt.setSafe(i, 1L);
                if (images[i] == null) {
                    size.setNull(i);
                    bytes.setNull(i);
                } else {
                    size.setSafe(i, images[i].length);
                    bytes.setSafe(i, images[i]);
                }
            }
            root.setRowCount(rowIds.length);
            return write(root, codec);
        }
    }

    /** {@code root} as an Arrow IPC stream of one record batch, its body compressed with {@code codec}. */
    private static byte[] write(VectorSchemaRoot root, CompressionUtil.CodecType codec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out), IpcOption.DEFAULT,
                codec == CompressionUtil.CodecType.NO_COMPRESSION ? NoCompressionCodec.Factory.INSTANCE
                        : CommonsCompressionFactory.INSTANCE, codec)) {
            writer.start();
            writer.writeBatch();
            writer.end();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
