package dev.kbi.preprocessor.image;

import static dev.kbi.preprocessor.image.TestImages.encode;
import static dev.kbi.preprocessor.image.TestImages.resource;
import static dev.kbi.preprocessor.image.TestImages.solid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kbi.preprocessor.image.ImageDecodeException.Reason;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad inputs fail with an {@link ImageDecodeException} that says what is wrong. */
class ImageDecodeFailuresTest {

    private final ImagePreprocessor preprocessor = new ImagePreprocessor(new TargetShape(3, 224, 224), 50_000_000L);

    private ImageDecodeException failure(byte[] input) {
        return assertThrows(ImageDecodeException.class, () -> preprocessor.toChwPixels(input));
    }

    private static void assertFailure(ImageDecodeException e, Reason reason, String messagePart) {
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
    }

    @Test
    void emptyInput() {
        assertFailure(failure(new byte[0]), Reason.EMPTY, "empty input (0 bytes)");
        assertFailure(failure(null), Reason.EMPTY, "empty input");
    }

    @Test
    void textBytesNamedJpg() {
        byte[] text = "This is not a JPEG, just a file called photo.jpg\n".getBytes(StandardCharsets.UTF_8);
        assertFailure(failure(text), Reason.UNSUPPORTED_FORMAT, "not an image / unsupported format");
    }

    @Test
    void zeroFilledAndRandomBytes() {
        assertFailure(failure(new byte[1024]), Reason.UNSUPPORTED_FORMAT, "not an image");
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        assertFailure(failure(noise), Reason.UNSUPPORTED_FORMAT, "not an image");
    }

    @Test
    void truncatedJpegIsRefusedNotPaddedWithGray() {
        byte[] jpeg = resource("coffee.jpg");
        assertFailure(failure(Arrays.copyOf(jpeg, jpeg.length / 2)), Reason.CORRUPT, "truncated or corrupt jpeg");
    }

    @Test
    void jpegCutInsideItsHeadersIsRefused() {
        byte[] jpeg = encode(solid(64, 64, BufferedImage.TYPE_3BYTE_BGR, Color.ORANGE), "jpeg");
        assertFailure(failure(Arrays.copyOf(jpeg, 100)), Reason.CORRUPT, "truncated or corrupt jpeg");
    }

    @Test
    void truncatedPngIsRefused() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(5);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        byte[] png = encode(image, "png");
        assertFailure(failure(Arrays.copyOf(png, png.length / 2)), Reason.CORRUPT, "truncated or corrupt png");
    }

    @Test
    void hugeDeclaredPngIsRefusedBeforeDecoding() {
        byte[] bomb = TestImages.pngHeaderOnly(100_000, 100_000);
        // assertTimeout (not ...Preemptively) runs on this thread, so its allocations are counted.
        long allocated = allocatedBytes(() -> {
            ImageDecodeException e = assertTimeout(Duration.ofSeconds(2), () -> failure(bomb));
            assertFailure(e, Reason.TOO_LARGE, "declared size 100000x100000 exceeds max pixels 50000000");
        });
        // Decoding would need 30 GB; reading the header needs next to nothing.
        assertTrue(allocated < 32L << 20, "allocated " + allocated + " bytes refusing a header-only PNG");
    }

    @Test
    void hugeDeclaredJpegIsRefusedBeforeDecoding() {
        byte[] jpeg = encode(solid(16, 16, BufferedImage.TYPE_3BYTE_BGR, Color.ORANGE), "jpeg");
        byte[] bomb = TestImages.withJpegFrameSize(jpeg, 60_000, 60_000);
        ImageDecodeException e = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> failure(bomb));
        assertFailure(e, Reason.TOO_LARGE, "declared size 60000x60000 exceeds max pixels 50000000");
    }

    @Test
    void pngWithADamagedChecksumIsRefusedThoughTheJdkWouldDecodeIt() {
        byte[] png = encode(solid(8, 8, BufferedImage.TYPE_INT_RGB, Color.ORANGE), "png");
        png[29] ^= 0x55; // last byte of the IHDR chunk's CRC (8 signature + 8 length/type + 13 data)
        assertFailure(failure(png), Reason.CORRUPT, "corrupt png: chunk IHDR at offset 8 has CRC");
    }

    @Test
    void pngWithDamagedPixelDataIsRefusedByItsChecksum() {
        byte[] png = encode(solid(8, 8, BufferedImage.TYPE_INT_RGB, Color.ORANGE), "png");
        int idat = indexOf(png, "IDAT");
        png[idat + 6] ^= 0x01; // a bit inside the compressed pixels
        assertFailure(failure(png), Reason.CORRUPT, "chunk IDAT at offset " + (idat - 4) + " has CRC");
    }

    @Test
    void webpIsNamedInTheRefusal() {
        byte[] webp = "RIFF\u0024\0\0\0WEBPVP8 \u0018\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        assertFailure(failure(webp), Reason.UNSUPPORTED_FORMAT, "unsupported format: webp, no decoder installed");
    }

    @Test
    void avifAndPdfAreNamedInTheRefusal() {
        byte[] avif = "\0\0\0\u0020ftypavif\0\0\0\0avifmif1".getBytes(StandardCharsets.ISO_8859_1);
        assertFailure(failure(avif), Reason.UNSUPPORTED_FORMAT, "unsupported format: avif");
        byte[] pdf = "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1);
        assertFailure(failure(pdf), Reason.UNSUPPORTED_FORMAT, "unsupported format: pdf");
    }

    @Test
    void reasonLeadsTheMessageBecauseDeadLettersCarryOnlyTheMessage() {
        assertTrue(failure(new byte[0]).getMessage().startsWith("EMPTY: "));
    }

    private static int indexOf(byte[] bytes, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError(ascii + " not found");
    }

    @Test
    void wbmpIsNotAccepted() {
        byte[] wbmp = encode(solid(8, 8, BufferedImage.TYPE_BYTE_BINARY, Color.WHITE), "wbmp");
        assertFailure(failure(wbmp), Reason.UNSUPPORTED_FORMAT, "detected 'wbmp'");
    }

    /** Bytes allocated by this thread while running {@code action}. */
    private static long allocatedBytes(Runnable action) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            assumeTrue(false, "this JVM cannot measure per-thread allocation");
            return 0;
        }
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        action.run();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    }
}
