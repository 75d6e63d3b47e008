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

    /** Images whose declared width x height exceeds this are refused before decoding (decompression bombs). */
    @WithDefault("100000000")
    long maxPixels();
}
