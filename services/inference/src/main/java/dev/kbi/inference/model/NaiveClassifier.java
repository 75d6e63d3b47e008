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
    private final Supplier<? extends BatchModel> loader;

    /**
     * @param descriptor the model's descriptor (from a load done at startup to validate the model)
     * @param loader loads a fresh copy of the model; called once per {@link #predict} call
     */
    public NaiveClassifier(ModelDescriptor descriptor, Supplier<? extends BatchModel> loader) {
        this.descriptor = descriptor;
        this.loader = loader;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<? extends ModelOutput> predict(List<byte[]> pixels) {
        try (BatchModel fresh = loader.get()) {
            return fresh.predict(pixels);
        }
    }

    /** Nothing is held between batches, so nothing to release. */
    @Override
    public void close() {
    }
}
