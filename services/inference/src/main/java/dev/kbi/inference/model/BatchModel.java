package dev.kbi.inference.model;

import java.util.List;

/**
 * Something that runs one model batch of uint8 CHW images: a model held in memory
 * ({@link ImageClassifier}, {@link ImageEmbedder}, see {@link HeldModel}) or the benchmark baseline
 * that reloads it per batch ({@link NaiveClassifier}). Implementations are thread-safe.
 */
public interface BatchModel extends AutoCloseable {

    /** The model's descriptor (input shape, normalization, outputs). */
    ModelDescriptor descriptor();

    /**
     * Runs one model batch.
     *
     * @param pixels one uint8 CHW array per image, each of the descriptor's input shape
     * @return per image, in order, its output: top-k classes or an embedding, per the descriptor's
     *         {@code output.kind}
     */
    List<? extends ModelOutput> predict(List<byte[]> pixels);

    @Override
    void close();
}
