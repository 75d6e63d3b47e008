package dev.kbi.inference;

import dev.kbi.inference.model.Precision;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/** The inference service's settings ({@code inference.*}). */
@ConfigMapping(prefix = "inference")
public interface InferenceConfig {

    /** Folder with {@code model.json}, the TorchScript file and the labels it names. */
    @WithDefault("models/fashion-mnist")
    Path modelDir();

    /**
     * Rows per model call (the model batch), independent of the block size: rows of several blocks
     * fill one batch, a larger block spans several.
     */
    @WithDefault("32")
    int batchSize();

    /**
     * Longest time a queued row waits for its model batch to fill before a partial batch runs (so a
     * trickle of input is never stuck). A partial batch runs earlier when every consumer thread is
     * waiting for results, since no more rows can come then.
     */
    @WithDefault("PT0.05S")
    Duration maxBatchWait();

    /**
     * Model threads sharing the held model, each taking batches from one queue. 1 fits a CPU (libtorch
     * already uses every core inside one call; see {@code intra-op-threads}) and one GPU.
     */
    @WithDefault("1")
    int workers();

    /**
     * {@code cpu} (default, the tested path), {@code auto} (GPU 0 when the engine sees a GPU, else
     * the CPU), {@code gpu} (GPU 0) or {@code gpu:N}. One device per process: run one instance per
     * GPU. A GPU needs a CUDA libtorch (see {@code load-tests/gpu}).
     */
    @WithDefault("cpu")
    String device();

    /**
     * {@code fp32} (default), {@code fp16} or {@code bf16}: applied on a GPU only (the CPU stays at
     * fp32 and says so in the log). Half precision needs weights exported in it, named in
     * {@code model.json} {@code filesByPrecision}.
     */
    @WithDefault("fp32")
    Precision precision();

    /**
     * libtorch intra-op threads, the threads one model call uses on a CPU
     * ({@code -Dai.djl.pytorch.num_threads}); unset: libtorch's default, one per core.
     */
    OptionalInt intraOpThreads();

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
