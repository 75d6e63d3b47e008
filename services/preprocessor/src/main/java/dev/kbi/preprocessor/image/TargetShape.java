package dev.kbi.preprocessor.image;

/**
 * The uint8 CHW tensor shape a model expects.
 *
 * @param channels 1 (grayscale, luminance) or 3 (RGB)
 * @param height output rows
 * @param width output columns
 */
public record TargetShape(int channels, int height, int width) {

    public TargetShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grayscale) or 3 (RGB), got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("height and width must be positive, got " + height + "x" + width);
        }
        if ((long) channels * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + channels + "x" + height + "x" + width + " exceeds a Java array");
        }
    }

    /** Number of bytes of one tensor: channels * height * width. */
    public int size() {
        return channels * height * width;
    }
}
