package dev.kbi.preprocessor.image;

import static dev.kbi.preprocessor.image.TestImages.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Real photos (see src/test/resources/photos/README.md). */
class RealPhotosTest {

    private static final TargetShape RGB_224 = new TargetShape(3, 224, 224);
    private final ImagePreprocessor preprocessor = new ImagePreprocessor(RGB_224, 50_000_000L);

    @Test
    void twelveMonkeysIsTheFirstJpegReader() throws Exception {
        preprocessor.toChwPixels(resource("coffee.jpg")); // the decoder's plugin scan has run
        assertTrue(ImageIO.getImageReadersByFormatName("jpeg").next().getClass().getName()
                .startsWith("com.twelvemonkeys."));
    }

    @Test
    void rgbJpegPhoto() throws Exception {
        byte[] out = preprocessor.toChwPixels(resource("coffee.jpg"));
        assertEquals(RGB_224.size(), out.length);
        for (int c = 0; c < 3; c++) {
            assertTrue(stdDev(plane(out, c)) > 20, "channel " + c + " of a photo should not be flat");
        }
    }

    @Test
    void cmykJpegDecodesToTheSamePicture() throws Exception {
        byte[] fromCmyk = preprocessor.toChwPixels(resource("cmyk.jpg"));
        byte[] fromRgb = preprocessor.toChwPixels(resource("coffee.jpg"));
        // Same photo, but PIL's naive RGB->CMYK and Java's CMYK profile do not round-trip colours
        // exactly (see samples/photos/LICENSE.md): compare structure per channel, not values.
        for (int c = 0; c < 3; c++) {
            double r = correlation(plane(fromCmyk, c), plane(fromRgb, c));
            assertTrue(r > 0.9, "channel " + c + " correlation " + r);
        }
    }

    @Test
    void concurrentCallsGiveTheSameResults() throws Exception {
        List<byte[]> inputs = List.of(resource("coffee.jpg"), resource("cmyk.jpg"), resource("exif-rotated.jpg"));
        List<byte[]> expected = new ArrayList<>();
        for (byte[] input : inputs) {
            expected.add(preprocessor.toChwPixels(input));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                byte[] input = inputs.get(i % inputs.size());
                results.add(pool.submit(() -> preprocessor.toChwPixels(input)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(expected.get(i % inputs.size()), results.get(i).get(), "call " + i);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static double[] plane(byte[] chw, int channel) {
        int size = RGB_224.height() * RGB_224.width();
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = chw[channel * size + i] & 0xff;
        }
        return values;
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    private static double stdDev(double[] v) {
        return Math.sqrt(covariance(v, v));
    }

    private static double covariance(double[] a, double[] b) {
        double ma = mean(a);
        double mb = mean(b);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - ma) * (b[i] - mb);
        }
        return sum / a.length;
    }

    private static double correlation(double[] a, double[] b) {
        return covariance(a, b) / (stdDev(a) * stdDev(b));
    }
}
