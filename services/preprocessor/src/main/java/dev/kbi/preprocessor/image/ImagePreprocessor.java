package dev.kbi.preprocessor.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Turns encoded image bytes (JPEG, PNG, GIF, BMP, TIFF) into the model's uint8 CHW tensor:
 * decode (after refusing declared sizes above {@code maxPixels}), apply JPEG EXIF orientation,
 * convert to opaque sRGB (alpha composited over white, see {@link RgbConverter}), resize so the
 * image covers the target and center-crop it, then split into channel planes. One channel means
 * luminance {@code Y = 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601, as PIL's {@code "L"}), which
 * leaves gray input values unchanged.
 *
 * <p>Immutable and thread-safe: every call uses its own ImageIO reader and buffers.
 */
public final class ImagePreprocessor {

    private final TargetShape target;
    private final long maxPixels;

    /**
     * @param target output shape
     * @param maxPixels largest declared width * height that will be decoded; the decoded image plus
     *     its RGB copies take roughly 8-16 bytes per pixel at peak, so this bounds memory per image
     */
    public ImagePreprocessor(TargetShape target, long maxPixels) {
        if (target == null) {
            throw new IllegalArgumentException("target shape is required");
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.target = target;
        this.maxPixels = maxPixels;
    }

    public TargetShape target() {
        return target;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Decodes and preprocesses one image.
     *
     * @return {@code channels * height * width} bytes, channel planes in order (R, G, B or Y),
     *     each row-major, values 0..255 (read them with {@code & 0xff})
     * @throws ImageDecodeException when the bytes are empty, not a supported image, truncated or
     *     corrupt, or declare more than {@code maxPixels} pixels
     */
    public byte[] toChwPixels(byte[] encoded) throws ImageDecodeException {
        ImageDecoder.Decoded decoded = ImageDecoder.decode(encoded, maxPixels);
        BufferedImage rgb = RgbConverter.toOpaqueRgb(decoded.image());
        if (decoded.isJpeg()) {
            rgb = ExifOrientation.apply(rgb, ExifOrientation.readFromJpeg(encoded));
        }
        BufferedImage fitted = ImageResizer.coverAndCenterCrop(rgb, target.width(), target.height());
        return toPlanes(((DataBufferInt) fitted.getRaster().getDataBuffer()).getData());
    }

    private byte[] toPlanes(int[] rgb) {
        int plane = target.height() * target.width();
        byte[] out = new byte[target.size()];
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            if (target.channels() == 3) {
                out[i] = (byte) r;
                out[plane + i] = (byte) g;
                out[2 * plane + i] = (byte) b;
            } else {
                // Integer weights summing to 1000: r = g = b = v gives exactly v.
                out[i] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
            }
        }
        return out;
    }
}
