package dev.kbi.common.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.rows.ImageRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class BlockSplitterTest {

    private static final BlockCodec CODEC = new BlockCodec();
    private static final int LIMIT = 64 * 1024 + BlockSplitter.RECORD_OVERHEAD_BYTES;

    @AfterAll
    static void close() {
        CODEC.close();
    }

    private static List<ImageRow> rows(int count, int bytesEach) {
        List<ImageRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new ImageRow("r-" + i, "s-" + i, i, new byte[bytesEach]));
        }
        return rows;
    }

    @Test
    void smallBlockStaysWhole() {
        BlockSplitter.Result<ImageRow> result = new BlockSplitter(CODEC, LIMIT).encode(ImageRow.SCHEMA, rows(10, 100));
        assertEquals(1, result.blocks().size());
        assertEquals(10, result.blocks().get(0).rowCount());
        assertTrue(result.oversized().isEmpty());
    }

    @Test
    void blockAtTheLimitIsNotSplit() {
        BlockSplitter splitter = new BlockSplitter(CODEC, LIMIT);
        // Grow a one-row block until it is as close to the limit as a row can get.
        int payload = splitter.maxBlockBytes() - 2048;
        while (CODEC.encode(ImageRow.SCHEMA, rows(1, payload + 8)).length <= splitter.maxBlockBytes()) {
            payload += 8;
        }
        BlockSplitter.Result<ImageRow> result = splitter.encode(ImageRow.SCHEMA, rows(1, payload));
        assertEquals(1, result.blocks().size());
        assertTrue(result.blocks().get(0).bytes().length <= splitter.maxBlockBytes());
        assertTrue(result.blocks().get(0).bytes().length > splitter.maxBlockBytes() - 64);
    }

    @Test
    void largeBlockIsSplitAndKeepsEveryRowInOrder() {
        BlockSplitter splitter = new BlockSplitter(CODEC, LIMIT);
        List<ImageRow> input = rows(100, 4000); // ~400 KB, limit 64 KB
        BlockSplitter.Result<ImageRow> result = splitter.encode(ImageRow.SCHEMA, input);
        assertTrue(result.blocks().size() >= 7, "blocks: " + result.blocks().size());
        List<String> ids = new ArrayList<>();
        for (BlockSplitter.EncodedBlock block : result.blocks()) {
            assertTrue(block.bytes().length <= splitter.maxBlockBytes());
            List<ImageRow> decoded = CODEC.decode(ImageRow.SCHEMA, block.bytes());
            assertEquals(block.rowCount(), decoded.size());
            decoded.forEach(r -> ids.add(r.rowId()));
        }
        assertEquals(input.stream().map(ImageRow::rowId).toList(), ids);
    }

    @Test
    void rowTooLargeForAnyBlockIsReportedNotDropped() {
        List<ImageRow> input = new ArrayList<>(rows(3, 100));
        input.add(1, new ImageRow("huge", "big.jpg", 0, new byte[200 * 1024]));
        BlockSplitter.Result<ImageRow> result = new BlockSplitter(CODEC, LIMIT).encode(ImageRow.SCHEMA, input);
        assertEquals(List.of("huge"), result.oversized().stream().map(ImageRow::rowId).toList());
        assertEquals(3, result.blocks().stream().mapToInt(BlockSplitter.EncodedBlock::rowCount).sum());
    }
}
