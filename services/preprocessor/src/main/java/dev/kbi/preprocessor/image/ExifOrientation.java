package dev.kbi.preprocessor.image;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import dev.kbi.preprocessor.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * EXIF orientation (tag 0x0112): how a camera's stored pixels must be flipped/rotated to display
 * upright. Values 1-8 as in the EXIF spec; absent, or outside 1-8 (invalid per spec), means 1.
 */
final class ExifOrientation {

    static final int NORMAL = 1;

    private ExifOrientation() {
    }

    /** The orientation in a JPEG's APP1 Exif segment; only the segments before the scan are read. */
    static int readFromJpeg(byte[] jpeg) throws ImageDecodeException {
        Metadata metadata;
        try {
            metadata = JpegMetadataReader.readMetadata(new ByteArrayInputStream(jpeg), List.of(new ExifReader()));
        } catch (JpegProcessingException | IOException e) {
            throw new ImageDecodeException(Reason.CORRUPT, "corrupt JPEG metadata segments: " + e.getMessage(), e);
        }
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        Integer value = ifd0 == null ? null : ifd0.getInteger(ExifDirectoryBase.TAG_ORIENTATION);
        return value == null || value < 1 || value > 8 ? NORMAL : value;
    }

    /**
     * Returns {@code src} transformed to display orientation; {@code src} itself when the
     * orientation is 1. {@code src} must be a {@link BufferedImage#TYPE_INT_RGB} image that owns its
     * whole data buffer (as {@link RgbConverter} makes), since the pixels are moved array to array.
     */
    static BufferedImage apply(BufferedImage src, int orientation) {
        if (orientation == NORMAL) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swapsAxes = orientation >= 5;
        int dw = swapsAxes ? h : w;
        int dh = swapsAxes ? w : h;
        BufferedImage dst = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        int[] in = ((DataBufferInt) src.getRaster().getDataBuffer()).getData();
        int[] out = ((DataBufferInt) dst.getRaster().getDataBuffer()).getData();
        for (int dy = 0; dy < dh; dy++) {
            for (int dx = 0; dx < dw; dx++) {
                // (sx, sy): the stored pixel shown at display position (dx, dy).
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - dx; sy = dy; }           // mirror horizontal
                    case 3 -> { sx = w - 1 - dx; sy = h - 1 - dy; }   // rotate 180
                    case 4 -> { sx = dx; sy = h - 1 - dy; }           // mirror vertical
                    case 5 -> { sx = dy; sy = dx; }                   // transpose
                    case 6 -> { sx = dy; sy = h - 1 - dx; }           // rotate 90 clockwise
                    case 7 -> { sx = w - 1 - dy; sy = h - 1 - dx; }   // transverse
                    case 8 -> { sx = w - 1 - dy; sy = dx; }           // rotate 90 counter-clockwise
                    default -> throw new IllegalArgumentException("EXIF orientation " + orientation + " not in 1..8");
                }
                out[dy * dw + dx] = in[sy * w + sx];
            }
        }
        return dst;
    }
}
