package dev.kbi.preprocessor.image;

import dev.kbi.preprocessor.image.ImageDecodeException.Reason;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Verifies the CRC of every PNG chunk. The JDK's PNG reader skips the checksums, so a damaged
 * file whose zlib stream still inflates would decode into wrong pixels without a word; libpng
 * and Pillow refuse it, and so does this stage. CRC32 runs at memory speed: the check is free
 * next to decoding.
 */
final class PngChecksums {

    private static final int SIGNATURE_BYTES = 8;

    private PngChecksums() {
    }

    /** @throws ImageDecodeException CORRUPT naming the first chunk whose stored CRC does not match */
    static void verify(byte[] png) throws ImageDecodeException {
        ByteBuffer in = ByteBuffer.wrap(png);
        int offset = SIGNATURE_BYTES;
        while (offset + 12 <= png.length) {
            long length = Integer.toUnsignedLong(in.getInt(offset));
            if (offset + 12 + length > png.length) {
                return; // truncated: the decoder reports it with its own words
            }
            CRC32 crc = new CRC32();
            crc.update(png, offset + 4, 4 + (int) length);
            long stored = Integer.toUnsignedLong(in.getInt(offset + 8 + (int) length));
            if (crc.getValue() != stored) {
                String type = new String(png, offset + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
                throw new ImageDecodeException(Reason.CORRUPT, String.format(
                        "corrupt png: chunk %s at offset %d has CRC %08x, its bytes give %08x",
                        type, offset, stored, crc.getValue()));
            }
            offset += 12 + (int) length;
        }
    }
}
