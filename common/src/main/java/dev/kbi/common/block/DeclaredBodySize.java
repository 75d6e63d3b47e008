package dev.kbi.common.block;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;

/**
 * What an Arrow IPC stream's record batches say they take once decoded, read from the record's own
 * bytes before Arrow allocates anything: a compressed buffer starts with its uncompressed length,
 * and an LZ4 or ZSTD body can claim gigabytes in a few kilobytes. Arrow itself allocates that much,
 * and on failure leaks the buffers it had decoded, so a bomb must be refused before it is read.
 */
final class DeclaredBodySize {

    private static final int CONTINUATION = -1;

    private DeclaredBodySize() {
    }

    /**
     * Bytes the stream's buffers take decoded: each compressed buffer's declared length, each plain
     * buffer's own length.
     *
     * @throws BlockFormatException if a message's framing points outside the record, or its metadata
     *     is not a readable Arrow message
     */
    static long of(byte[] stream) {
        try {
            return sum(stream);
        } catch (BlockFormatException e) {
            throw e;
        } catch (RuntimeException e) { // flatbuffers reading garbage: out of bounds, bad offsets
            throw new BlockFormatException("unreadable message metadata (" + e + ")", e);
        }
    }

    private static long sum(byte[] stream) {
        ByteBuffer in = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        long total = 0;
        while (in.remaining() >= 4) {
            int length = in.getInt();
            if (length == CONTINUATION) {
                length = in.remaining() >= 4 ? in.getInt() : 0;
            }
            if (length == 0) {
                break; // end of stream
            }
            if (length < 0 || length > in.remaining()) {
                throw new BlockFormatException("Arrow IPC message of " + length + " bytes in the " + in.remaining()
                        + " bytes left of the record");
            }
            Message message = Message.getRootAsMessage(in.slice(in.position(), length).order(ByteOrder.LITTLE_ENDIAN));
            in.position(in.position() + length);
            long bodyLength = message.bodyLength();
            if (bodyLength < 0 || bodyLength > in.remaining()) {
                throw new BlockFormatException("Arrow IPC message body of " + bodyLength + " bytes in the "
                        + in.remaining() + " bytes left of the record");
            }
            if (message.headerType() == MessageHeader.RecordBatch) {
                RecordBatch batch = (RecordBatch) message.header(new RecordBatch());
                total += decodedSize(batch, in.slice(in.position(), (int) bodyLength).order(ByteOrder.LITTLE_ENDIAN));
            }
            in.position(in.position() + (int) bodyLength);
        }
        return total;
    }

    private static long decodedSize(RecordBatch batch, ByteBuffer body) {
        boolean compressed = batch.compression() != null;
        long total = 0;
        Buffer buffer = new Buffer();
        for (int i = 0; i < batch.buffersLength(); i++) {
            batch.buffers(buffer, i);
            if (buffer.offset() < 0 || buffer.length() < 0 || buffer.offset() + buffer.length() > body.limit()) {
                throw new BlockFormatException("Arrow IPC buffer at " + buffer.offset() + " of " + buffer.length()
                        + " bytes outside its body of " + body.limit());
            }
            // A compressed buffer: int64 uncompressed length (-1: stored as is), then the data.
            long declared = compressed && buffer.length() >= 8 ? body.getLong((int) buffer.offset()) : -1;
            total += declared >= 0 ? declared : buffer.length();
        }
        return total;
    }
}
