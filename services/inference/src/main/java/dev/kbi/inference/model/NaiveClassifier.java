package dev.kbi.inference.model;

import java.util.List;
import java.util.function.Supplier;

/**
 * <b>Benchmark baseline only — never use it to serve.</b> Loads the model for every model batch
 * and closes it afterwards, the "naive approach" Ray Data's batch-inference guide compares its
 * stateful workers against ({@code inference.mode=naive}). It exists so that {@code load-tests}
 * can measure how much holding the model across batches gains; its predictions equal those of the
 * held model.
 */
public final class NaiveClassifier implements BatchModel {

    private final ModelDescriptor descriptor;
    private final Supplier<ImageClassifier> loader;

    /**
     * @param descriptor the model's descriptor (from a load done at startup to validate the model)
     * @param loader loads a fresh copy of the model; called once per {@link #classify} call
     */
    public NaiveClassifier(ModelDescriptor descriptor, Supplier<ImageClassifier> loader) {
        this.descriptor = descriptor;
        this.loader = loader;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<Classification> classify(List<byte[]> pixels) {
        try (ImageClassifier fresh = loader.get()) {
            return fresh.classify(pixels);
        }
    }

    /** Nothing is held between batches, so nothing to release. */
    @Override
    public void close() {
    }
}
