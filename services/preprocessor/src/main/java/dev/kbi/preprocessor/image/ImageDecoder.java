package dev.kbi.preprocessor.image;

import dev.kbi.preprocessor.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Detects the format of encoded bytes with the installed ImageIO readers, checks the declared size
 * against a pixel limit, then decodes the first image. Stateless: a reader is created per call.
 */
final class ImageDecoder {

    /**
     * Formats accepted. The JDK also ships a WBMP reader whose header sniffing accepts short runs
     * of almost arbitrary bytes; nobody sends WBMP, so it is left out rather than risk decoding
     * garbage as a 1-bit image.
     */
    private static final Set<String> ACCEPTED_FORMATS = Set.of("jpeg", "png", "gif", "bmp", "tif", "tiff");

    static {
        // Registers readers found on the classpath after ImageIO first initialised (TwelveMonkeys'
        // JPEG reader, which decodes CMYK/YCCK and applies embedded ICC profiles).
        ImageIO.scanForPlugins();
    }

    /** A decoded first frame and the lower-case format name of the reader that decoded it. */
    record Decoded(BufferedImage image, String format) {
        boolean isJpeg() {
            return format.equals("jpeg");
        }
    }

    private ImageDecoder() {
    }

    static Decoded decode(byte[] encoded, long maxPixels) throws ImageDecodeException {
        if (encoded == null || encoded.length == 0) {
            throw new ImageDecodeException(Reason.EMPTY, "empty input (0 bytes): not an image");
        }
        // An explicit in-memory stream: ImageIO.createImageInputStream(InputStream) would spill to
        // a temp file per call while ImageIO.getUseCache() is true (its default), and turning that
        // off is JVM-global state.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            ImageReader reader = firstReader(in, encoded);
            try {
                if (formatOf(reader).equals("png")) {
                    PngChecksums.verify(encoded);
                }
                return read(reader, in, maxPixels);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            // Only close() of an in-memory stream can get here; reading errors are handled in read().
            throw new ImageDecodeException(Reason.CORRUPT, "could not read image bytes: " + e.getMessage(), e);
        }
    }

    private static ImageReader firstReader(ImageInputStream in, byte[] encoded) throws ImageDecodeException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            String known = UnsupportedFormats.name(encoded);
            throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, "not an image / unsupported format"
                    + (known == null ? "" : ": " + known + ", no decoder installed")
                    + " (" + encoded.length + " bytes starting " + head(encoded) + ")");
        }
        // The registry orders readers by preference; TwelveMonkeys' JPEG reader ranks itself first.
        ImageReader reader = readers.next();
        String format = formatOf(reader);
        if (!ACCEPTED_FORMATS.contains(format)) {
            reader.dispose();
            throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT,
                    "not an image / unsupported format: detected '" + format + "', accepted " + ACCEPTED_FORMATS);
        }
        return reader;
    }

    private static Decoded read(ImageReader reader, ImageInputStream in, long maxPixels) throws ImageDecodeException {
        String format = formatOf(reader);
        reader.setInput(in, false, true);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener(collectInto(warnings));
        BufferedImage image;
        try {
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new ImageDecodeException(Reason.CORRUPT,
                        "truncated or corrupt " + format + ": declared size " + width + "x" + height);
            }
            if ((long) width * height > maxPixels) {
                throw new ImageDecodeException(Reason.TOO_LARGE,
                        "declared size " + width + "x" + height + " exceeds max pixels " + maxPixels);
            }
            image = reader.read(0);
        } catch (IOException | RuntimeException e) {
            // Readers signal bad data with IIOException but also with unchecked exceptions from
            // deep inside (e.g. IndexOutOfBounds, IllegalArgument on a damaged header).
            throw new ImageDecodeException(Reason.CORRUPT,
                    "truncated or corrupt " + format + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        // libjpeg treats a missing end of data as a warning and pads the image with gray; a model
        // must not see that, so it is refused like any other truncation.
        for (String warning : warnings) {
            if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                throw new ImageDecodeException(Reason.CORRUPT, "truncated or corrupt " + format + ": " + warning);
            }
        }
        return new Decoded(image, format);
    }

    private static IIOReadWarningListener collectInto(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }

    private static String formatOf(ImageReader reader) {
        try {
            String name = reader.getFormatName().toLowerCase(Locale.ROOT);
            return name.equals("jpg") ? "jpeg" : name;
        } catch (IOException e) {
            // ImageReader.getFormatName declares IOException but no bundled reader throws it.
            throw new IllegalStateException("ImageIO reader " + reader.getClass().getName() + " has no format name", e);
        }
    }

    /** The first bytes in hex, so a dead letter shows what was actually sent. */
    private static String head(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return "0x" + sb;
    }
}
