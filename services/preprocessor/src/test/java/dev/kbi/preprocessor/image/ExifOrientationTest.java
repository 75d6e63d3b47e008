package dev.kbi.preprocessor.image;

import static dev.kbi.preprocessor.image.TestImages.encode;
import static dev.kbi.preprocessor.image.TestImages.fill;
import static dev.kbi.preprocessor.image.TestImages.pixel;
import static dev.kbi.preprocessor.image.TestImages.resource;
import static dev.kbi.preprocessor.image.TestImages.withExifOrientation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EXIF orientation read from JPEGs and applied before resizing. */
class ExifOrientationTest {

    private static final int R = 0xff0000;
    private static final int G = 0x00ff00;
    private static final int B = 0x0000ff;
    private static final int W = 0xffffff;

    /**
     * A JPEG stored 64 wide x 32 high as quadrants [R G / B W], tagged with {@code orientation},
     * must come out (at its display size, so without resampling) as {@code expected}: the
     * quadrants top-left, top-right, bottom-left, bottom-right as displayed.
     */
    @ParameterizedTest(name = "orientation {0} shows {1}")
    @CsvSource({
        "1, RGBW", "2, GRWB", "3, WBGR", "4, BWRG",
        "5, RBGW", "6, BRWG", "7, WGBR", "8, GWRB",
        "0, RGBW", "9, RGBW"})   // outside 1..8 is invalid per the spec: treated as 1
    void handMadeExifSegmentIsApplied(int orientation, String expected) throws Exception {
        BufferedImage stored = new BufferedImage(64, 32, BufferedImage.TYPE_3BYTE_BGR);
        fill(stored, 0, 0, 32, 16, new Color(R));
        fill(stored, 32, 0, 32, 16, new Color(G));
        fill(stored, 0, 16, 32, 16, new Color(B));
        fill(stored, 32, 16, 32, 16, new Color(W));
        byte[] jpeg = withExifOrientation(encode(stored, "jpeg"), orientation);

        boolean swapped = orientation >= 5 && orientation <= 8;
        TargetShape shape = swapped ? new TargetShape(3, 64, 32) : new TargetShape(3, 32, 64);
        byte[] out = new ImagePreprocessor(shape, 1_000_000).toChwPixels(jpeg);

        int qw = shape.width() / 2;
        int qh = shape.height() / 2;
        String seen = "" + quadrant(out, shape, qw / 2, qh / 2) + quadrant(out, shape, qw + qw / 2, qh / 2)
                + quadrant(out, shape, qw / 2, qh + qh / 2) + quadrant(out, shape, qw + qw / 2, qh + qh / 2);
        assertEquals(expected, seen);
    }

    /** The nearest of R, G, B, W to the pixel at (x, y). */
    private static char quadrant(byte[] chw, TargetShape shape, int x, int y) {
        int[] p = pixel(chw, shape, x, y);
        int[][] refs = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
        char[] names = {'R', 'G', 'B', 'W'};
        int best = 0;
        int bestDistance = Integer.MAX_VALUE;
        for (int i = 0; i < refs.length; i++) {
            int d = Math.abs(p[0] - refs[i][0]) + Math.abs(p[1] - refs[i][1]) + Math.abs(p[2] - refs[i][2]);
            if (d < bestDistance) {
                best = i;
                bestDistance = d;
            }
        }
        assertTrue(bestDistance < 30, "pixel (" + x + "," + y + ") " + Arrays.toString(p) + " is no quadrant colour");
        return names[best];
    }

    @Test
    void allEightTransformsMoveEveryPixel() {
        // Stored 3x2: a b c / d e f. Expected display layouts from the EXIF spec's definitions.
        BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        stored.setRGB(0, 0, 3, 2, new int[] {'a', 'b', 'c', 'd', 'e', 'f'}, 0, 3);
        String[] expected = {null,
            "abc/def", "cba/fed", "fed/cba", "def/abc",
            "ad/be/cf", "da/eb/fc", "fc/eb/da", "cf/be/ad"};
        for (int orientation = 1; orientation <= 8; orientation++) {
            BufferedImage shown = ExifOrientation.apply(stored, orientation);
            String rows = IntStream.range(0, shown.getHeight())
                    .mapToObj(y -> IntStream.range(0, shown.getWidth())
                            .mapToObj(x -> String.valueOf((char) (shown.getRGB(x, y) & 0xff)))
                            .collect(Collectors.joining()))
                    .collect(Collectors.joining("/"));
            assertEquals(expected[orientation], rows, "orientation " + orientation);
        }
    }

    @Test
    void realPhotoTaggedOrientation6IsShownUpright() throws Exception {
        byte[] jpeg = resource("exif-rotated.jpg");
        assertEquals(6, ExifOrientation.readFromJpeg(jpeg));
        BufferedImage stored = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertEquals(300, stored.getWidth());
        assertEquals(451, stored.getHeight());

        // Upright is 451 wide x 300 high: asking for exactly that involves no resampling.
        TargetShape shape = new TargetShape(3, 300, 451);
        byte[] out = new ImagePreprocessor(shape, 1_000_000).toChwPixels(jpeg);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 451; x++) {
                // Rotating 90 degrees clockwise puts stored column y, bottom to top, on display row y.
                Color c = new Color(stored.getRGB(y, stored.getHeight() - 1 - x));
                assertArrayEquals(new int[] {c.getRed(), c.getGreen(), c.getBlue()}, pixel(out, shape, x, y),
                        "pixel (" + x + "," + y + ")");
            }
        }
    }

    @Test
    void jpegWithoutExifIsNormal() throws Exception {
        assertEquals(1, ExifOrientation.readFromJpeg(resource("coffee.jpg")));
    }
}
