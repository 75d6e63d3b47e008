package dev.kbi.common.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.common.rows.TensorRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class BlockCodecTest {

    private static final BlockCodec CODEC = new BlockCodec();

    @AfterAll
    static void close() {
        CODEC.close();
    }

    @Test
    void imageRowsRoundTrip() {
        List<ImageRow> rows = List.of(new ImageRow("j-0", "/a/b.png", 1L, new byte[] {1, 2, 3}),
                new ImageRow("j-1", "/a/ü.jpg", 2L, new byte[0]));
        List<ImageRow> back = CODEC.decode(ImageRow.SCHEMA, CODEC.encode(ImageRow.SCHEMA, rows));
        assertEquals(2, back.size());
        assertEquals("j-0", back.get(0).rowId());
        assertEquals("/a/ü.jpg", back.get(1).source());
        assertEquals(2L, back.get(1).readAtMillis());
        assertArrayEquals(new byte[] {1, 2, 3}, back.get(0).bytes());
        assertArrayEquals(new byte[0], back.get(1).bytes());
    }

    @Test
    void tensorRowsRoundTrip() {
        byte[] pixels = new byte[2 * 3 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 11);
        }
        TensorRow row = new TensorRow("j-0", "s", 5L, 6L, 2, 3, 4, pixels);
        TensorRow back = CODEC.decode(TensorRow.SCHEMA, CODEC.encode(TensorRow.SCHEMA, List.of(row))).get(0);
        assertEquals(List.of(2, 3, 4), List.of(back.channels(), back.height(), back.width()));
        assertEquals(6L, back.preprocessedAtMillis());
        assertArrayEquals(pixels, back.pixels());
    }

    @Test
    void predictionRowsRoundTripWithLists() {
        PredictionRow a = new PredictionRow("j-0", "s0", 1, 2, 3, List.of("Bag", "Coat"), new float[] {0.9f, 0.1f}, "m:1");
        PredictionRow b = new PredictionRow("j-1", "s1", 4, 5, 6, List.of(), new float[0], "m:1");
        List<PredictionRow> back = CODEC.decode(PredictionRow.SCHEMA, CODEC.encode(PredictionRow.SCHEMA, List.of(a, b)));
        assertEquals(List.of("Bag", "Coat"), back.get(0).labels());
        assertArrayEquals(new float[] {0.9f, 0.1f}, back.get(0).scores());
        assertEquals(List.of(), back.get(1).labels());
        assertArrayEquals(new float[0], back.get(1).scores());
        assertEquals(6L, back.get(1).inferredAtMillis());
        assertEquals("m:1", back.get(1).model());
    }

    @Test
    void predictionRowsRoundTripWithAndWithoutEmbedding() {
        PredictionRow classes = new PredictionRow("j-0", "s0", 1, 2, 3, List.of("Bag"), new float[] {0.9f}, "c:1");
        float[] vector = {0.5f, -1.25f, 0f, Float.MIN_VALUE, 3.4e38f};
        PredictionRow embedding = new PredictionRow("j-1", "s1", 4, 5, 6, List.of(), new float[0], "e:2", vector);
        PredictionRow emptyVector = new PredictionRow("j-2", "s2", 7, 8, 9, List.of(), new float[0], "e:2",
                new float[0]);
        List<PredictionRow> rows = List.of(classes, embedding, classes, emptyVector, embedding);
        byte[] block = CODEC.encode(PredictionRow.SCHEMA, rows);
        List<PredictionRow> back = CODEC.decode(PredictionRow.SCHEMA, block);

        assertEquals("kbi.prediction.v2", PredictionRow.SCHEMA.name());
        assertEquals(rows.size(), back.size());
        for (int i : new int[] {0, 2}) {
            assertNull(back.get(i).embedding(), "row " + i);
            assertEquals(List.of("Bag"), back.get(i).labels());
            assertArrayEquals(new float[] {0.9f}, back.get(i).scores());
            assertEquals("c:1", back.get(i).model());
        }
        for (int i : new int[] {1, 4}) {
            assertArrayEquals(vector, back.get(i).embedding(), "row " + i);
            assertEquals(List.of(), back.get(i).labels());
            assertArrayEquals(new float[0], back.get(i).scores());
            assertEquals("e:2", back.get(i).model());
            assertEquals(6L, back.get(i).inferredAtMillis());
        }
        assertArrayEquals(new float[0], back.get(3).embedding(), "an empty vector is not null");
        assertNull(new PredictionRow("r", "s", 1, 2, 3, List.of(), new float[0], "m").embedding(),
                "the 8-argument constructor leaves the embedding null");
    }

    @Test
    void deadLetterRowsKeepNulls() {
        DeadLetterRow row = new DeadLetterRow("j-0", null, "preprocessor", "X", null, 9L, null);
        DeadLetterRow back = CODEC.decode(DeadLetterRow.SCHEMA, CODEC.encode(DeadLetterRow.SCHEMA, List.of(row))).get(0);
        assertNull(back.source());
        assertNull(back.message());
        assertNull(back.payload());
        assertEquals("preprocessor", back.stage());
    }

    @Test
    void emptyBlockRoundTrips() {
        byte[] bytes = CODEC.encode(ImageRow.SCHEMA, List.of());
        assertTrue(bytes.length > 0, "an empty block still carries its schema");
        assertEquals(List.of(), CODEC.decode(ImageRow.SCHEMA, bytes));
    }

    @Test
    void wrongSchemaIsRejectedWithBothSchemasNamed() {
        byte[] images = CODEC.encode(ImageRow.SCHEMA, List.of(new ImageRow("r", "s", 1, new byte[1])));
        BlockFormatException e = assertThrows(BlockFormatException.class, () -> CODEC.decode(TensorRow.SCHEMA, images));
        assertTrue(e.getMessage().contains("kbi.tensor-u8-chw.v1"), e.getMessage());
        assertTrue(e.getMessage().contains("image"), e.getMessage());
    }

    @Test
    void nonArrowBytesAreRejected() {
        byte[] json = "{\"path\": \"x.jpg\"}".getBytes(StandardCharsets.UTF_8);
        assertThrows(BlockFormatException.class, () -> CODEC.decode(ImageRow.SCHEMA, json));
        assertThrows(BlockFormatException.class, () -> CODEC.decode(ImageRow.SCHEMA, new byte[0]));
    }

    @Test
    void textReadAsAHugeMetadataLengthIsRejectedBeforeAnyAllocation() {
        // "{\"jo" is a little-endian length of about 1.8 GB: Arrow would allocate it before reading.
        byte[] json = "{\"jobId\": \"j\", \"rows\": 3}".getBytes(StandardCharsets.UTF_8);
        BlockFormatException e = assertThrows(BlockFormatException.class, () -> CODEC.decode(ImageRow.SCHEMA, json));
        assertTrue(e.getMessage().contains("declares"), e.getMessage());
    }

    @Test
    void garbageBehindAPlausibleFramingIsRejectedAsAFormatError() {
        // A continuation marker, a small metadata length, then bytes that are no flatbuffer Message.
        byte[] body = "{\"json\": 1}".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.nio.ByteBuffer.allocate(8 + body.length).putInt(-1)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(body.length).put(body).array();
        BlockFormatException e = assertThrows(BlockFormatException.class, () -> CODEC.decode(ImageRow.SCHEMA, bytes));
        assertTrue(e.getMessage().startsWith("Not a readable Arrow IPC stream of kbi.image.v1: unreadable message "
                + "metadata"), e.getMessage());
        byte[] random = new byte[4096];
        new java.util.Random(7).nextBytes(random);
        random[0] = -1;
        random[1] = -1;
        random[2] = -1;
        random[3] = -1;
        random[4] = 16;
        random[5] = 0;
        random[6] = 0;
        random[7] = 0;
        assertThrows(BlockFormatException.class, () -> CODEC.decode(ImageRow.SCHEMA, random));
    }

    @Test
    void anyBytesEitherDecodeOrFailAsAFormatErrorNeverAnythingElse() {
        byte[] valid = CODEC.encode(ImageRow.SCHEMA, List.of(new ImageRow("r", "s", 1, new byte[300])));
        java.util.Random random = new java.util.Random(42);
        // Each refused block must also leave no Arrow memory behind: the codec's close (AfterAll) checks.
        for (int i = 0; i < 1000; i++) {
            byte[] bytes = valid.clone();
            // Flip a few bytes anywhere (framing, metadata, body) of a real block.
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            try {
                CODEC.decode(ImageRow.SCHEMA, bytes);
            } catch (BlockFormatException expected) {
                // refused: fine
            }
        }
    }

    @Test
    void truncatedBlockIsRejected() {
        byte[] bytes = CODEC.encode(ImageRow.SCHEMA, List.of(new ImageRow("r", "s", 1, new byte[1000])));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThrows(BlockFormatException.class, () -> CODEC.decode(ImageRow.SCHEMA, truncated));
    }
}
