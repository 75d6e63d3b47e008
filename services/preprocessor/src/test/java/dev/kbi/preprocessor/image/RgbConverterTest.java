package dev.kbi.preprocessor.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import org.junit.jupiter.api.Test;

/**
 * The colour-managed path, for decoders that return a non-sRGB colour space (e.g. a JPEG with an
 * embedded ICC profile). ImageIO's own writers drop profiles, so the image is built directly.
 */
class RgbConverterTest {

    @Test
    void linearRgbIsConvertedToSrgb() {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB), false,
                false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage linear = new BufferedImage(cm, cm.createCompatibleWritableRaster(4, 4), false, null);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                linear.getRaster().setPixel(x, y, new int[] {0, 55, 255});
            }
        }
        int rgb = RgbConverter.toOpaqueRgb(linear).getRGB(1, 1);

        assertEquals(0, (rgb >> 16) & 0xff);
        // Linear 55/255 = 0.216 is sRGB 0.502: the transfer curve was applied.
        int green = (rgb >> 8) & 0xff;
        assertTrue(Math.abs(green - 128) <= 3, "linear 55 should become sRGB ~128, got " + green);
        assertEquals(255, rgb & 0xff);
    }
}
