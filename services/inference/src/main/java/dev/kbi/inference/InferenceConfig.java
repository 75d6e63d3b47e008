package dev.kbi.inference;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** The inference service's settings ({@code inference.*}). */
@ConfigMapping(prefix = "inference")
public interface InferenceConfig {

    /** Folder with {@code model.json}, the TorchScript file and the labels it names. */
    @WithDefault("models/fashion-mnist")
    Path modelDir();

    /** Rows per model call (the model batch), independent of the block size. */
    @WithDefault("32")
    int batchSize();

    /** {@code cpu}, or {@code gpu}/{@code gpu:N} where a CUDA libtorch is installed. */
    @WithDefault("cpu")
    String device();

    /**
     * {@code pooled} (default): the model is held across batches. {@code naive}: a baseline for
     * benchmarks only, reloading the model for every model batch.
     */
    @WithDefault("pooled")
    InferenceMode mode();

    /** Model batches run at startup before readiness turns UP (lets libtorch plan its kernels). */
    @WithDefault("2")
    int warmupBatches();
}
