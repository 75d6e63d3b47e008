package dev.kbi.preprocessor.image;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * Resizes so the image covers the target (the shorter side, relative to the target's aspect,
 * matches it), then takes the centered target-sized crop, like torchvision's
 * {@code Resize(size)} + {@code CenterCrop}. Only the part of the image that survives the crop is
 * resampled, plus a margin so crop edges still blend with their real neighbours.
 *
 * <p>Bilinear interpolation alone aliases when shrinking by more than 2x (it reads only 4 source
 * pixels per output pixel), so large reductions first halve the image repeatedly; a bilinear 2x
 * reduction is a 2x2 box average, which makes the whole chain close to an area filter.
 */
final class ImageResizer {

    private ImageResizer() {
    }

    /** Returns a new {@code width} x {@code height} TYPE_INT_RGB image from a TYPE_INT_RGB one. */
    static BufferedImage coverAndCenterCrop(BufferedImage src, int width, int height) {
        int sw = src.getWidth();
        int sh = src.getHeight();
        double scale = Math.max((double) width / sw, (double) height / sh);
        if (scale == 1.0) {
            // One side already fits exactly: a plain crop keeps the pixels bit-exact.
            return crop(src, (sw - width) / 2, (sh - height) / 2, width, height);
        }
        // The source rectangle that lands on the output, in source pixels.
        double cropW = width / scale;
        double cropH = height / scale;
        double x0 = (sw - cropW) / 2;
        double y0 = (sh - cropH) / 2;
        int margin = (int) Math.ceil(Math.max(1, 1 / scale)) + 1;
        int ix0 = Math.max(0, (int) Math.floor(x0) - margin);
        int iy0 = Math.max(0, (int) Math.floor(y0) - margin);
        int ix1 = Math.min(sw, (int) Math.ceil(x0 + cropW) + margin);
        int iy1 = Math.min(sh, (int) Math.ceil(y0 + cropH) + margin);
        BufferedImage region = src.getSubimage(ix0, iy0, ix1 - ix0, iy1 - iy0);
        // Output pixel = (region pixel - offset) * scale, tracked per axis because halving odd
        // sizes makes the two axes' factors differ slightly.
        double offX = x0 - ix0;
        double offY = y0 - iy0;
        double scaleX = scale;
        double scaleY = scale;
        while (scaleX < 0.5 && scaleY < 0.5) {
            int hw = (region.getWidth() + 1) / 2;
            int hh = (region.getHeight() + 1) / 2;
            double fx = (double) hw / region.getWidth();
            double fy = (double) hh / region.getHeight();
            region = scaleTo(region, hw, hh);
            offX *= fx;
            offY *= fy;
            scaleX /= fx;
            scaleY /= fy;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = createGraphics(out);
        try {
            g.drawImage(region, new AffineTransform(scaleX, 0, 0, scaleY, -offX * scaleX, -offY * scaleY), null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage scaleTo(BufferedImage src, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = createGraphics(out);
        try {
            g.drawImage(src, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage crop(BufferedImage src, int x, int y, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.getRaster().setDataElements(0, 0, src.getRaster().createChild(x, y, width, height, 0, 0, null));
        return out;
    }

    private static Graphics2D createGraphics(BufferedImage target) {
        Graphics2D g = target.createGraphics();
        g.setComposite(AlphaComposite.Src);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        return g;
    }
}
