package dev.kbi.preprocessor.image;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Builds test inputs in code and reads the CHW output. */
final class TestImages {

    private TestImages() {
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertTrue(ImageIO.write(image, format, out), "no ImageIO writer for " + format + " / this image type");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static BufferedImage solid(int width, int height, int type, Color color) {
        BufferedImage image = new BufferedImage(width, height, type);
        fill(image, 0, 0, width, height, color);
        return image;
    }

    static void fill(BufferedImage image, int x, int y, int width, int height, Color color) {
        Graphics2D g = image.createGraphics();
        try {
            g.setComposite(java.awt.AlphaComposite.Src);
            g.setColor(color);
            g.fillRect(x, y, width, height);
        } finally {
            g.dispose();
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/photos/" + name)) {
            assertNotNull(in, "missing test resource photos/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The channel values at (x, y) of a CHW tensor. */
    static int[] pixel(byte[] chw, TargetShape shape, int x, int y) {
        int plane = shape.height() * shape.width();
        int[] values = new int[shape.channels()];
        for (int c = 0; c < shape.channels(); c++) {
            values[c] = chw[c * plane + y * shape.width() + x] & 0xff;
        }
        return values;
    }

    /**
     * Inserts a minimal APP1 Exif segment (big-endian TIFF, IFD0 with only Orientation) after the
     * JFIF APP0 segment that ImageIO's JPEG writer puts first.
     */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26);
        tiff.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8); // header, IFD0 at 8
        tiff.putShort((short) 1);                                       // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1);   // Orientation, SHORT, count 1
        tiff.putShort((short) orientation).putShort((short) 0);         // value, padded to 4 bytes
        tiff.putInt(0);                                                 // no next IFD
        byte[] exifHeader = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + exifHeader.length + tiff.capacity();
        ByteBuffer app1 = ByteBuffer.allocate(2 + length);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(exifHeader).put(tiff.array());

        assertTrue((jpeg[2] & 0xff) == 0xFF && (jpeg[3] & 0xff) == 0xE0, "expected JFIF APP0 after SOI");
        int insertAt = 4 + ((jpeg[4] & 0xff) << 8 | (jpeg[5] & 0xff));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, insertAt);
        out.writeBytes(app1.array());
        out.write(jpeg, insertAt, jpeg.length - insertAt);
        return out.toByteArray();
    }

    /** A PNG signature, an IHDR (8-bit RGB) declaring the given size with a valid CRC, and IEND. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        writeChunk(out, "IHDR", ihdr.array());
        writeChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** An animated GIF, one frame per colour, each {@code width x height}. */
    static byte[] animatedGif(int width, int height, Color... frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (Color colour : frames) {
                writer.writeToSequence(new IIOImage(solid(width, height, BufferedImage.TYPE_3BYTE_BGR, colour),
                        null, null), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * A 4-channel CMYK JPEG as Photoshop writes them: an Adobe APP14 segment (transform 0) and
     * inverted samples (255 = no ink), the layout TwelveMonkeys' reader expects.
     */
    static byte[] cmykJpeg(int width, int height, int c, int m, int y, int k) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        int[] inverted = {255 - c, 255 - m, 255 - y, 255 - k};
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                raster.setPixel(col, row, inverted);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(jpeg)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] plain = jpeg.toByteArray();
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        out.writeBytes(adobe);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    /** Rewrites the frame size in a baseline JPEG's SOF0 segment, leaving the scan data as is. */
    static byte[] withJpegFrameSize(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 8 < out.length; ) {
            if ((out[i] & 0xff) != 0xFF) {
                throw new IllegalArgumentException("not at a JPEG marker at offset " + i);
            }
            int marker = out[i + 1] & 0xff;
            int length = (out[i + 2] & 0xff) << 8 | (out[i + 3] & 0xff);
            if (marker == 0xC0) {
                out[i + 5] = (byte) (height >> 8);
                out[i + 6] = (byte) height;
                out[i + 7] = (byte) (width >> 8);
                out[i + 8] = (byte) width;
                return out;
            }
            i += 2 + length;
        }
        throw new IllegalArgumentException("no SOF0 segment");
    }
}
