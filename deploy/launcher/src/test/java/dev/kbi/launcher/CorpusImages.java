package dev.kbi.launcher;

import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Image bytes for the bad-input corpus, made in code (no third-party files): odd but valid layouts
 * the preprocessor converts, and damaged ones it must refuse.
 */
final class CorpusImages {

    private static final int IHDR_DATA = 16; // 8 signature + 4 length + 4 type

    private CorpusImages() {
    }

    /** A noisy picture: compresses badly, so a cut really ends inside the pixel data. */
    static BufferedImage noise(int size, int type, long seed) {
        BufferedImage image = new BufferedImage(size, size, type);
        Random random = new Random(seed);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        return image;
    }

    static byte[] png(RenderedImage image) {
        return write(ImageIO.getImageWritersByFormatName("png").next(), List.of(new IIOImage(image, null, null)));
    }

    static byte[] jpeg(RenderedImage image) {
        return write(ImageIO.getImageWritersByFormatName("jpeg").next(), List.of(new IIOImage(image, null, null)));
    }

    /** Three frames (red, green, blue): the preprocessor takes the first. */
    static byte[] animatedGif() {
        List<IIOImage> frames = List.of(Color.RED, Color.GREEN, Color.BLUE).stream()
                .map(c -> new IIOImage(filled(c), null, null)).toList();
        return write(ImageIO.getImageWritersByFormatName("gif").next(), frames);
    }

    /** 16 bits per sample, gray. */
    static byte[] gray16Png() {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, 28, 28, 0, new Random(3).ints(28 * 28, 0, 65536).toArray());
        return png(image);
    }

    /** PNG colour type 4: gray plus alpha. */
    static byte[] grayAlphaPng() {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                ComponentColorModel.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(28, 28);
        raster.setSamples(0, 0, 28, 28, 1, new Random(4).ints(28 * 28, 0, 256).toArray());
        return png(new BufferedImage(cm, raster, false, null));
    }

    /** PNG colour type 3: a 16-colour palette with one transparent entry. */
    static byte[] palettePng() {
        byte[] ramp = new byte[16];
        for (int i = 0; i < 16; i++) {
            ramp[i] = (byte) (i * 17);
        }
        IndexColorModel palette = new IndexColorModel(4, 16, ramp, ramp, ramp, 0);
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_BINARY, palette);
        image.getRaster().setSamples(0, 0, 28, 28, 0, new Random(5).ints(28 * 28, 0, 16).toArray());
        return png(image);
    }

    /**
     * A CMYK JPEG as Photoshop writes them: 4-channel scan, inverted samples, Adobe APP14 marker
     * (without it a reader cannot tell CMYK from RGBA).
     */
    static byte[] cmykJpeg() {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 28, 28, 4, null);
        int[] noInk = new int[28 * 28];
        java.util.Arrays.fill(noInk, 255); // Adobe CMYK stores 255 - ink
        for (int band = 0; band < 3; band++) {
            raster.setSamples(0, 0, 28, 28, band, noInk);
        }
        raster.setSamples(0, 0, 28, 28, 3, new Random(6).ints(28 * 28, 0, 256).toArray()); // gray from K alone
        byte[] scan = write(ImageIO.getImageWritersByFormatName("jpeg").next(), List.of(new IIOImage(raster, null, null)));
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        return insert(scan, 2, adobe);
    }

    /** {@code png} with its IHDR claiming {@code width x height}, CRC recomputed: a valid header, a bomb's size. */
    static byte[] withDeclaredSize(byte[] png, int width, int height) {
        byte[] out = png.clone();
        ByteBuffer.wrap(out).putInt(IHDR_DATA, width).putInt(IHDR_DATA + 4, height);
        CRC32 crc = new CRC32();
        crc.update(out, 12, 4 + 13);
        ByteBuffer.wrap(out).putInt(IHDR_DATA + 13, (int) crc.getValue());
        return out;
    }

    /** {@code png} with one bit of its IHDR checksum flipped; the pixels are intact. */
    static byte[] withBadChecksum(byte[] png) {
        byte[] out = png.clone();
        out[IHDR_DATA + 13] ^= 0x01;
        return out;
    }

    private static BufferedImage filled(Color colour) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_3BYTE_BGR);
        image.getRaster().setDataElements(0, 0, 28, 28, ramp(colour));
        return image;
    }

    private static byte[] ramp(Color colour) {
        byte[] bgr = new byte[28 * 28 * 3];
        for (int i = 0; i < bgr.length; i += 3) {
            bgr[i] = (byte) colour.getBlue();
            bgr[i + 1] = (byte) colour.getGreen();
            bgr[i + 2] = (byte) colour.getRed();
        }
        return bgr;
    }

    private static byte[] insert(byte[] bytes, int at, byte[] segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(segment);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    /** One image, or a sequence (animation) when there are several. */
    private static byte[] write(ImageWriter writer, List<IIOImage> images) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            if (images.size() == 1) {
                writer.write(null, images.get(0), null);
            } else {
                writer.prepareWriteSequence(null);
                for (IIOImage image : images) {
                    writer.writeToSequence(image, null);
                }
                writer.endWriteSequence();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
