package dev.kbi.preprocessor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The preprocessor's settings ({@code preprocessor.*}): the model's input shape. */
@ConfigMapping(prefix = "preprocessor")
public interface PreprocessorConfig {

    /** Output channels: 1 (grayscale) or 3 (RGB). Must match the model's {@code input.channels}. */
    @WithDefault("1")
    int channels();

    /** Output height in pixels (model's {@code input.height}). */
    @WithDefault("28")
    int height();

    /** Output width in pixels (model's {@code input.width}). */
    @WithDefault("28")
    int width();

    /**
     * Images whose declared width x height exceeds this are refused from their header, before any
     * pixel is decoded (decompression bombs). Decoding takes about 8 bytes of heap per pixel at
     * peak for 8-bit RGB (16 for 16-bit RGBA): the default of 50 megapixels (Pillow warns at 89)
     * needs ~400 MB for the largest image accepted.
     */
    @WithDefault("50000000")
    long maxPixels();
}
