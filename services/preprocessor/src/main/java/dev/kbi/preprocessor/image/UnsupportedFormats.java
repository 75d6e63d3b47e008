package dev.kbi.preprocessor.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Names common image and document formats that no installed reader decodes, from their magic
 * bytes, so a dead letter says "webp" rather than only "not an image". Used only after every
 * ImageIO reader has declined the bytes.
 */
final class UnsupportedFormats {

    private UnsupportedFormats() {
    }

    /** The format's name, or null when the bytes match none known here. */
    static String name(byte[] bytes) {
        if (startsWith(bytes, 0, "RIFF") && startsWith(bytes, 8, "WEBP")) {
            return "webp";
        }
        if (startsWith(bytes, 4, "ftyp")) {
            return isoBrand(bytes);
        }
        if (startsWith(bytes, 0, "\u00ff\n") || startsWith(bytes, 4, "JXL ")) {
            return "jpeg-xl";
        }
        if (startsWith(bytes, 0, "%PDF")) {
            return "pdf";
        }
        if (startsWith(bytes, 0, "8BPS")) {
            return "psd";
        }
        if (startsWith(bytes, 0, "<svg") || startsWith(bytes, 0, "<?xml")) {
            return "svg/xml";
        }
        return null;
    }

    /** HEIF/AVIF and friends share the ISO media container; the brand tells them apart. */
    private static String isoBrand(byte[] bytes) {
        String brand = bytes.length >= 12 ? new String(bytes, 8, 4, StandardCharsets.ISO_8859_1) : "";
        return switch (brand) {
            case "avif", "avis" -> "avif";
            case "heic", "heix", "hevc", "mif1", "msf1" -> "heif";
            default -> "iso-media (" + brand.strip() + ")";
        };
    }

    private static boolean startsWith(byte[] bytes, int offset, String magic) {
        byte[] expected = magic.getBytes(StandardCharsets.ISO_8859_1);
        return bytes.length >= offset + expected.length
                && Arrays.equals(bytes, offset, offset + expected.length, expected, 0, expected.length);
    }
}
