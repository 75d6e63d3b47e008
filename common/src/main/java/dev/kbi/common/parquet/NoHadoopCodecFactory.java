package dev.kbi.common.parquet;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page compression for Parquet without Hadoop: ZSTD through zstd-jni and SNAPPY through snappy-java (both
 * already dependencies of parquet-hadoop, with their native code inside the jar), plus UNCOMPRESSED.
 *
 * <p>Why it exists: parquet-hadoop's own {@code CodecFactory} builds every codec, even "uncompressed",
 * through Hadoop's {@code CompressionCodec} classes, so it fails with {@code NoClassDefFoundError} when
 * Hadoop is not on the classpath. Both codecs produce the standard Parquet page encodings (a zstd frame,
 * a raw snappy block), so any Parquet reader can read the files.
 *
 * <p>Stateless and thread-safe; {@link #release()} has nothing to free.
 */
public final class NoHadoopCodecFactory implements CompressionCodecFactory {

    /** zstd's own default level: a good speed/ratio balance for small, string-heavy pages. */
    public static final int DEFAULT_ZSTD_LEVEL = 3;

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return getCompressor(codec, DEFAULT_ZSTD_LEVEL);
    }

    /** {@code level} applies to ZSTD only; the other codecs have no levels. */
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec, int level) {
        if (codec == CompressionCodecName.ZSTD
                && (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel())) {
            throw new IllegalArgumentException("ZSTD level " + level + " outside " + Zstd.minCompressionLevel()
                    + ".." + Zstd.maxCompressionLevel());
        }
        Codec compress = switch (supported(codec)) {
            case ZSTD -> bytes -> Zstd.compress(bytes, level);
            case SNAPPY -> Snappy::compress;
            default -> bytes -> bytes;
        };
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return BytesInput.from(compress.apply(bytes.toByteArray()));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {
                // No pooled state to give back.
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        supported(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
                return BytesInput.from(NoHadoopCodecFactory.decompress(codec, bytes.toByteArray(), decompressedSize));
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                    throws IOException {
                byte[] compressed = new byte[compressedSize];
                input.get(compressed);
                output.put(NoHadoopCodecFactory.decompress(codec, compressed, decompressedSize));
            }

            @Override
            public void release() {
                // No pooled state to give back.
            }
        };
    }

    @Override
    public void release() {
        // Compressors hold no native or pooled resources between calls.
    }

    private static byte[] decompress(CompressionCodecName codec, byte[] compressed, int decompressedSize)
            throws IOException {
        byte[] result = switch (codec) {
            case ZSTD -> Zstd.decompress(compressed, decompressedSize);
            case SNAPPY -> Snappy.uncompress(compressed);
            default -> compressed;
        };
        if (result.length != decompressedSize) {
            throw new IOException(codec + " page decompressed to " + result.length + " bytes, expected "
                    + decompressedSize);
        }
        return result;
    }

    private static CompressionCodecName supported(CompressionCodecName codec) {
        return switch (codec) {
            case ZSTD, SNAPPY, UNCOMPRESSED -> codec;
            default -> throw new IllegalArgumentException(
                    "Codec " + codec + " is not supported without Hadoop; use ZSTD, SNAPPY or UNCOMPRESSED");
        };
    }

    @FunctionalInterface
    private interface Codec {
        byte[] apply(byte[] bytes) throws IOException;
    }
}
