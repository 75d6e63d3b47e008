package dev.kbi.inference.model;

import ai.djl.Device;
import java.nio.file.Path;

/**
 * What every {@link HeldModel} shares: the {@link TorchScriptModel} it holds, the accessors that
 * describe it, and closing it. Subclasses say what the module's output means.
 */
abstract sealed class TorchScriptHeldModel implements HeldModel permits ImageClassifier, ImageEmbedder {

    /** The module, loaded once; its {@code forward} runs a batch. */
    protected final TorchScriptModel model;

    TorchScriptHeldModel(TorchScriptModel model) {
        this.model = model;
    }

    /**
     * Fails with a {@link ModelLoadException} unless model.json's {@code output.kind} is {@code kind}:
     * a classifier loaded as an embedder (or the reverse) would misread every output.
     */
    static void requireKind(ModelDescriptor descriptor, Path modelDir, String kind) {
        if (!kind.equals(descriptor.output().kind())) {
            throw new ModelLoadException(modelDir.resolve(ModelDescriptor.FILE_NAME), "output.kind is \""
                    + descriptor.output().kind() + "\", not \"" + kind + "\": load it with HeldModel.load");
        }
    }

    @Override
    public final Path weights() {
        return model.weights();
    }

    @Override
    public final Device device() {
        return model.device();
    }

    @Override
    public final Precision precision() {
        return model.precision();
    }

    @Override
    public final ModelDescriptor descriptor() {
        return model.descriptor();
    }

    @Override
    public final void close() {
        model.close();
    }
}
