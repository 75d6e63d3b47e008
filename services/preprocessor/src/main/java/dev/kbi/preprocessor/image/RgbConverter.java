package dev.kbi.preprocessor.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Converts any decoded image (gray, gray+alpha, 8/16-bit RGB(A), palette, CMYK, ICC-profiled) into
 * an opaque 8-bit sRGB {@link BufferedImage#TYPE_INT_RGB}, the single layout the later steps use.
 *
 * <p>Transparency is composited over <b>white</b>: transparent areas of logos, product shots and
 * stickers are drawn for light backgrounds, and the colour hidden under alpha 0 is arbitrary
 * (often black or leftovers) so it must not reach the model. PIL's {@code convert("RGB")} drops
 * alpha instead; the two agree on every opaque pixel.
 */
final class RgbConverter {

    private RgbConverter() {
    }

    static BufferedImage toOpaqueRgb(BufferedImage src) {
        ColorModel cm = src.getColorModel();
        boolean palette = cm instanceof IndexColorModel;
        if (!palette && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return grayToRgb(src);
        }
        if (!palette && !cm.getColorSpace().isCS_sRGB()) {
            // CMYK/YCCK or RGB with an embedded ICC profile: one bulk colour transform; per-pixel
            // conversion through an ICC colour space is orders of magnitude slower.
            BufferedImage srgb = new BufferedImage(src.getWidth(), src.getHeight(),
                    cm.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            new ColorConvertOp(null).filter(src, srgb);
            src = srgb;
        }
        return drawOverWhite(src);
    }

    /**
     * sRGB and palette images: Java2D's native blit loops convert the layout (and do the alpha
     * blend) several times faster than {@code getRGB}, and fall back to the colour model for
     * custom layouts such as 16-bit samples.
     */
    private static BufferedImage drawOverWhite(BufferedImage src) {
        BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            if (src.getColorModel().hasAlpha()) {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, dst.getWidth(), dst.getHeight());
            }
            g.drawImage(src, 0, 0, null); // default composite: source over
        } finally {
            g.dispose();
        }
        return dst;
    }

    /**
     * Reads gray (and alpha) samples as stored, scaled to 8 bits. Not getRGB or Java2D: Java's gray
     * colour space is linear, so a colour-managed conversion brightens mid-grays (128 -> 186),
     * whereas file gray values are display values, as every other decoder treats them.
     */
    private static BufferedImage grayToRgb(BufferedImage src) {
        ColorModel cm = src.getColorModel();
        Raster raster = src.getRaster();
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) dst.getRaster().getDataBuffer()).getData();
        int grayMax = (1 << cm.getComponentSize(0)) - 1;
        boolean alpha = cm.hasAlpha();
        int alphaMax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 0;
        int[] gray = new int[w];
        int[] alphas = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, gray);
            if (alpha) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 1, alphas);
            }
            for (int x = 0; x < w; x++) {
                int v = to8Bits(gray[x], grayMax);
                if (alpha) {
                    int a = to8Bits(alphas[x], alphaMax);
                    // Premultiplied samples already hold v * a; non-premultiplied need the product.
                    int covered = cm.isAlphaPremultiplied() ? v * 255 : v * a;
                    v = (covered + 255 * (255 - a) + 127) / 255;
                }
                out[y * w + x] = v << 16 | v << 8 | v;
            }
        }
        return dst;
    }

    private static int to8Bits(int sample, int max) {
        return max == 255 ? sample : (int) ((sample * 255L + max / 2) / max);
    }
}
