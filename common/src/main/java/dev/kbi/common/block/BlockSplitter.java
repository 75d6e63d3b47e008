package dev.kbi.common.block;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes rows into as few blocks as possible, each no larger than a byte limit (the topic's
 * {@code max.message.bytes} minus room for the record's headers and batch overhead). A block over
 * the limit is split in halves until every part fits; a single row that cannot fit on its own is
 * reported, so the caller can dead-letter it instead of failing the whole block.
 */
public final class BlockSplitter {

    /** Bytes kept free under the limit for the record batch header, key and headers. */
    public static final int RECORD_OVERHEAD_BYTES = 16 * 1024;

    private final BlockCodec codec;
    private final int maxBlockBytes;

    /**
     * @param maxMessageBytes the topic's {@code max.message.bytes}; blocks stay below it by
     *     {@link #RECORD_OVERHEAD_BYTES}
     */
    public BlockSplitter(BlockCodec codec, int maxMessageBytes) {
        if (maxMessageBytes <= RECORD_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("max message bytes " + maxMessageBytes + " must exceed "
                    + RECORD_OVERHEAD_BYTES);
        }
        this.codec = codec;
        this.maxBlockBytes = maxMessageBytes - RECORD_OVERHEAD_BYTES;
    }

    /** The largest encoded block this splitter emits. */
    public int maxBlockBytes() {
        return maxBlockBytes;
    }

    /** Encodes {@code rows}; an empty list gives one empty block. */
    public <R> Result<R> encode(RowSchema<R> schema, List<R> rows) {
        Result<R> result = new Result<>(new ArrayList<>(), new ArrayList<>());
        encodeInto(schema, rows, result);
        return result;
    }

    private <R> void encodeInto(RowSchema<R> schema, List<R> rows, Result<R> result) {
        byte[] bytes = codec.encode(schema, rows);
        if (bytes.length <= maxBlockBytes) {
            result.blocks().add(new EncodedBlock(bytes, rows.size()));
        } else if (rows.size() == 1) {
            result.oversized().add(rows.get(0));
        } else {
            int half = rows.size() / 2;
            encodeInto(schema, rows.subList(0, half), result);
            encodeInto(schema, rows.subList(half, rows.size()), result);
        }
    }

    /** One encoded block and how many rows it holds. */
    public record EncodedBlock(byte[] bytes, int rowCount) {
    }

    /**
     * @param blocks the encoded blocks, in row order
     * @param oversized rows too large to fit in any block on their own
     */
    public record Result<R>(List<EncodedBlock> blocks, List<R> oversized) {
    }
}
