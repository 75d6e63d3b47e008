package dev.kbi.inference.model;

import java.util.List;

/**
 * Something that classifies one model batch of uint8 CHW images: the model held in memory
 * ({@link ImageClassifier}) or the benchmark baseline that reloads it per batch
 * ({@link NaiveClassifier}). Implementations are thread-safe.
 */
public interface BatchModel extends AutoCloseable {

    /** The model's descriptor (input shape, normalization, outputs). */
    ModelDescriptor descriptor();

    /**
     * Classifies one model batch.
     *
     * @param pixels one uint8 CHW array per image, each of the descriptor's input shape
     * @return per image, the top-k classes, best first
     */
    List<Classification> classify(List<byte[]> pixels);

    @Override
    void close();
}
