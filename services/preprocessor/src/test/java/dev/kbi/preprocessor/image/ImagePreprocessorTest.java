package dev.kbi.preprocessor.image;

import static dev.kbi.preprocessor.image.TestImages.encode;
import static dev.kbi.preprocessor.image.TestImages.fill;
import static dev.kbi.preprocessor.image.TestImages.pixel;
import static dev.kbi.preprocessor.image.TestImages.solid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding, colour conversion and resizing of images generated in code. */
class ImagePreprocessorTest {

    private static final long MAX_PIXELS = 50_000_000L;

    private static byte[] run(TargetShape shape, byte[] encoded) throws ImageDecodeException {
        byte[] out = new ImagePreprocessor(shape, MAX_PIXELS).toChwPixels(encoded);
        assertEquals(shape.size(), out.length);
        return out;
    }

    /** Every pixel of the output has these channel values, within tolerance. */
    private static void assertAll(byte[] chw, TargetShape shape, int tolerance, int... expected) {
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                assertNear(expected, pixel(chw, shape, x, y), tolerance, "pixel (" + x + "," + y + ")");
            }
        }
    }

    private static void assertNear(int[] expected, int[] actual, int tolerance, String what) {
        for (int c = 0; c < expected.length; c++) {
            assertTrue(Math.abs(expected[c] - actual[c]) <= tolerance, what + " channel " + c + ": expected "
                    + expected[c] + " +-" + tolerance + ", got " + actual[c]);
        }
    }

    @Test
    void grayPngAtTargetSizeIsReturnedBitExact() throws Exception {
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] raw = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        new Random(42).nextBytes(raw);

        assertArrayEquals(raw, run(new TargetShape(1, 28, 28), encode(gray, "png")));
    }

    @Test
    void grayPngToThreeChannelsRepeatsThePlane() throws Exception {
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] raw = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        new Random(7).nextBytes(raw);

        byte[] out = run(new TargetShape(3, 28, 28), encode(gray, "png"));
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(raw, Arrays.copyOfRange(out, c * raw.length, (c + 1) * raw.length));
        }
    }

    @Test
    void rgbPngAtTargetSizeIsReturnedBitExactInChwOrder() throws Exception {
        BufferedImage rgb = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                rgb.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        TargetShape shape = new TargetShape(3, 4, 5);
        byte[] out = run(shape, encode(rgb, "png"));
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                Color c = new Color(rgb.getRGB(x, y));
                assertArrayEquals(new int[] {c.getRed(), c.getGreen(), c.getBlue()}, pixel(out, shape, x, y));
            }
        }
    }

    @Test
    void solidRgbPngResizesTo224WithItsColour() throws Exception {
        TargetShape shape = new TargetShape(3, 224, 224);
        byte[] out = run(shape, encode(solid(320, 240, BufferedImage.TYPE_INT_RGB, new Color(200, 30, 90)), "png"));
        assertAll(out, shape, 0, 200, 30, 90);
    }

    @Test
    void smallImageIsUpscaled() throws Exception {
        TargetShape shape = new TargetShape(3, 224, 224);
        byte[] out = run(shape, encode(solid(10, 7, BufferedImage.TYPE_3BYTE_BGR, new Color(1, 128, 254)), "png"));
        assertAll(out, shape, 0, 1, 128, 254);
    }

    @Test
    void oneChannelTargetUsesLuminance() throws Exception {
        TargetShape shape = new TargetShape(1, 16, 16);
        byte[] out = run(shape, encode(solid(16, 16, BufferedImage.TYPE_INT_RGB, new Color(200, 100, 50)), "png"));
        // 0.299 * 200 + 0.587 * 100 + 0.114 * 50 = 124.2
        assertAll(out, shape, 0, 124);
    }

    @Test
    void rgbaPngIsCompositedOverWhite() throws Exception {
        BufferedImage argb = new BufferedImage(40, 40, BufferedImage.TYPE_INT_ARGB);
        fill(argb, 0, 0, 20, 20, new Color(10, 20, 30, 255));     // opaque: unchanged
        fill(argb, 20, 0, 20, 20, new Color(0, 0, 0, 0));         // transparent: white
        fill(argb, 0, 20, 20, 20, new Color(0, 0, 0, 128));       // half black: mid gray
        fill(argb, 20, 20, 20, 20, new Color(255, 0, 0, 128));    // half red: pink
        TargetShape shape = new TargetShape(3, 40, 40);
        byte[] out = run(shape, encode(argb, "png"));

        assertArrayEquals(new int[] {10, 20, 30}, pixel(out, shape, 5, 5));
        assertArrayEquals(new int[] {255, 255, 255}, pixel(out, shape, 30, 5));
        assertArrayEquals(new int[] {127, 127, 127}, pixel(out, shape, 5, 30));
        assertArrayEquals(new int[] {255, 127, 127}, pixel(out, shape, 30, 30));
    }

    @Test
    void grayJpegBecomesThreeEqualPlanes() throws Exception {
        TargetShape shape = new TargetShape(3, 32, 32);
        byte[] jpeg = encode(solid(64, 64, BufferedImage.TYPE_BYTE_GRAY, new Color(120, 120, 120)), "jpeg");
        assertEquals(1, jpeg[jpegComponentsOffset(jpeg)], "test input should be a 1-component JPEG");

        byte[] out = run(shape, jpeg);
        assertAll(out, shape, 2, 120, 120, 120);
    }

    @Test
    void rgbJpegDecodes() throws Exception {
        TargetShape shape = new TargetShape(3, 32, 32);
        byte[] out = run(shape, encode(solid(48, 64, BufferedImage.TYPE_3BYTE_BGR, new Color(30, 160, 220)), "jpeg"));
        assertAll(out, shape, 3, 30, 160, 220);
    }

    @Test
    void sixteenBitGrayPngIsScaledTo8Bits() throws Exception {
        BufferedImage gray16 = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = gray16.getRaster();
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                raster.setSample(x, y, 0, (y * 40 + x) * 54); // 0 .. 64746
            }
        }
        byte[] png = encode(gray16, "png");
        assertEquals(16, png[24], "IHDR bit depth");
        TargetShape shape = new TargetShape(1, 30, 40);
        byte[] out = run(shape, png);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int expected = (int) Math.round(raster.getSample(x, y, 0) * 255.0 / 65535);
                assertEquals(expected, pixel(out, shape, x, y)[0], "pixel (" + x + "," + y + ")");
            }
        }
    }

    @Test
    void sixteenBitRgbaPngDecodes() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        BufferedImage rgba16 = new BufferedImage(cm, cm.createCompatibleWritableRaster(20, 10), false, null);
        WritableRaster raster = rgba16.getRaster();
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                boolean opaque = x < 10;
                raster.setPixel(x, y, new int[] {257 * 40, 257 * 80, 257 * 160, opaque ? 65535 : 0});
            }
        }
        byte[] png = encode(rgba16, "png");
        assertEquals(16, png[24], "IHDR bit depth");
        assertEquals(6, png[25], "IHDR colour type RGBA");
        TargetShape shape = new TargetShape(3, 10, 20);
        byte[] out = run(shape, png);

        assertArrayEquals(new int[] {40, 80, 160}, pixel(out, shape, 2, 5));
        assertArrayEquals(new int[] {255, 255, 255}, pixel(out, shape, 17, 5));
    }

    @Test
    void grayAlphaPngKeepsGrayValuesAndCompositesOverWhite() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        BufferedImage grayAlpha = new BufferedImage(cm, cm.createCompatibleWritableRaster(30, 10), false, null);
        WritableRaster raster = grayAlpha.getRaster();
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 30; x++) {
                int[][] grayAndAlpha = {{128, 255}, {0, 0}, {0, 128}};
                raster.setPixel(x, y, grayAndAlpha[x / 10]);
            }
        }
        byte[] png = encode(grayAlpha, "png");
        assertEquals(4, png[25], "IHDR colour type gray+alpha");
        TargetShape shape = new TargetShape(1, 10, 30);
        byte[] out = run(shape, png);

        assertEquals(128, pixel(out, shape, 5, 5)[0], "opaque mid gray stays 128 (no linear-gray conversion)");
        assertEquals(255, pixel(out, shape, 15, 5)[0], "transparent becomes white");
        assertEquals(127, pixel(out, shape, 25, 5)[0], "half-transparent black over white");
    }

    @Test
    void palettePngWithTransparentEntryDecodes() throws Exception {
        byte[] reds = {(byte) 255, 0, 0};
        byte[] greens = {0, (byte) 255, 0};
        byte[] blues = {0, 0, 0};
        byte[] alphas = {(byte) 255, (byte) 255, 0};
        IndexColorModel palette = new IndexColorModel(2, 3, reds, greens, blues, alphas);
        BufferedImage indexed = new BufferedImage(30, 10, BufferedImage.TYPE_BYTE_BINARY, palette);
        WritableRaster raster = indexed.getRaster();
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 30; x++) {
                raster.setSample(x, y, 0, x / 10); // red | green | transparent
            }
        }
        byte[] png = encode(indexed, "png");
        assertEquals(3, png[25], "IHDR colour type palette");
        TargetShape shape = new TargetShape(3, 10, 30);
        byte[] out = run(shape, png);

        assertArrayEquals(new int[] {255, 0, 0}, pixel(out, shape, 5, 5));
        assertArrayEquals(new int[] {0, 255, 0}, pixel(out, shape, 15, 5));
        assertArrayEquals(new int[] {255, 255, 255}, pixel(out, shape, 25, 5));
    }

    @Test
    void animatedGifGivesItsFirstFrame() throws Exception {
        byte[] gif = TestImages.animatedGif(16, 16, Color.RED, Color.GREEN, Color.BLUE);
        TargetShape shape = new TargetShape(3, 8, 8);
        assertAll(run(shape, gif), shape, 0, 255, 0, 0);
    }

    @Test
    void generatedCmykJpegIsConvertedToRgb() throws Exception {
        byte[] jpeg = TestImages.cmykJpeg(16, 16, 0, 255, 255, 0); // magenta + yellow ink = red
        TargetShape shape = new TargetShape(3, 8, 8);
        assertAll(run(shape, jpeg), shape, 8, 255, 0, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gif", "bmp", "tiff"})
    void otherJdkFormatsDecode(String format) throws Exception {
        TargetShape shape = new TargetShape(3, 8, 8);
        byte[] out = run(shape, encode(solid(16, 12, BufferedImage.TYPE_3BYTE_BGR, new Color(0, 0, 255)), format));
        assertAll(out, shape, 0, 0, 0, 255);
    }

    @Test
    void landscapeImageLosesLeftAndRightBorders() throws Exception {
        BufferedImage image = solid(300, 100, BufferedImage.TYPE_INT_RGB, Color.GREEN);
        fill(image, 0, 0, 100, 100, Color.RED);
        fill(image, 200, 0, 100, 100, Color.BLUE);
        TargetShape shape = new TargetShape(3, 50, 50);
        assertAll(run(shape, encode(image, "png")), shape, 0, 0, 255, 0);
    }

    @Test
    void portraitImageLosesTopAndBottomBorders() throws Exception {
        BufferedImage image = solid(100, 300, BufferedImage.TYPE_INT_RGB, Color.GREEN);
        fill(image, 0, 0, 100, 100, Color.RED);
        fill(image, 0, 200, 100, 100, Color.BLUE);
        TargetShape shape = new TargetShape(3, 40, 40);
        assertAll(run(shape, encode(image, "png")), shape, 0, 0, 255, 0);
    }

    @Test
    void nonSquareTargetCoversAndCrops() throws Exception {
        // 40x40 into 20 wide x 10 high: scaled to 20x20, the middle 10 rows kept.
        BufferedImage image = solid(40, 40, BufferedImage.TYPE_INT_RGB, Color.GREEN);
        fill(image, 0, 0, 40, 10, Color.RED);
        fill(image, 0, 30, 40, 10, Color.BLUE);
        TargetShape shape = new TargetShape(3, 10, 20);
        assertAll(run(shape, encode(image, "png")), shape, 0, 0, 255, 0);
    }

    @Test
    void largeReductionIsSmoothAndCropped() throws Exception {
        // 3000x1000 to 64x64: factor ~15.6, through the halving steps.
        BufferedImage image = solid(3000, 1000, BufferedImage.TYPE_INT_RGB, Color.GREEN);
        fill(image, 0, 0, 1000, 1000, Color.RED);
        fill(image, 2000, 0, 1000, 1000, Color.BLUE);
        // Fine stripes in the kept part: a point-sampling resize would alias them, an area-like
        // one averages them to mid gray-green.
        for (int x = 1000; x < 2000; x += 2) {
            fill(image, x, 0, 1, 1000, Color.BLACK);
        }
        TargetShape shape = new TargetShape(3, 64, 64);
        byte[] out = run(shape, encode(image, "png"));
        for (int y = 0; y < 64; y++) {
            for (int x = 1; x < 63; x++) {
                assertNear(new int[] {0, 128, 0}, pixel(out, shape, x, y), 3, "pixel (" + x + "," + y + ")");
            }
            // The outermost columns may blend a little with the cropped-away neighbours, as in a
            // full resize followed by a crop.
            assertNear(new int[] {0, 128, 0}, pixel(out, shape, 0, y), 24, "left edge row " + y);
            assertNear(new int[] {0, 128, 0}, pixel(out, shape, 63, y), 24, "right edge row " + y);
        }
    }

    @Test
    void sizeAtTheLimitIsAcceptedAndOneBelowRefused() throws Exception {
        byte[] png = encode(solid(100, 100, BufferedImage.TYPE_INT_RGB, Color.GRAY), "png");
        TargetShape shape = new TargetShape(3, 10, 10);
        assertEquals(300, new ImagePreprocessor(shape, 10_000).toChwPixels(png).length);
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> new ImagePreprocessor(shape, 9_999).toChwPixels(png));
        assertEquals(ImageDecodeException.Reason.TOO_LARGE, e.reason());
    }

    /** Offset of the component count in a baseline JPEG's SOF0 segment. */
    private static int jpegComponentsOffset(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; ) {
            int marker = jpeg[i + 1] & 0xff;
            int length = (jpeg[i + 2] & 0xff) << 8 | (jpeg[i + 3] & 0xff);
            if (marker == 0xC0) {
                return i + 9;
            }
            i += 2 + length;
        }
        throw new IllegalArgumentException("no SOF0");
    }
}
