package dev.kbi.writer.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;

/**
 * Reads the row count of a local Parquet file from its footer with parquet-format's Thrift reader.
 * (parquet-hadoop's {@code ParquetReadOptions} builds a Hadoop codec factory, and the writer runs
 * without Hadoop on its class path.) Layout: ... footer, 4-byte little-endian footer length, "PAR1".
 */
public final class ParquetFooter {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private ParquetFooter() {
    }

    /** Rows in the file, as its footer states. */
    public static long rowCount(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 12) {
                throw new IOException(file + " is too short to be a Parquet file");
            }
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(tail, size - 8);
            byte[] magic = new byte[4];
            tail.position(4);
            tail.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " does not end with the Parquet magic bytes");
            }
            long footerLength = Integer.toUnsignedLong(tail.getInt(0));
            if (footerLength > size - 12) {
                throw new IOException(file + " declares a footer longer than the file");
            }
            channel.position(size - 8 - footerLength);
            InputStream in = Channels.newInputStream(channel);
            FileMetaData metadata = Util.readFileMetaData(in);
            return metadata.getNum_rows();
        }
    }
}
