package dev.kbi.inference.model;

import ai.djl.Device;
import java.nio.file.Path;

/**
 * A model loaded once and held for the life of the service: {@link ImageClassifier} for
 * {@code output.kind} {@code classes}, {@link ImageEmbedder} for {@code embedding}.
 */
public sealed interface HeldModel extends BatchModel permits TorchScriptHeldModel {

    /**
     * Loads the model described by {@code <modelDir>/model.json} on {@code device}, computing in
     * {@code precision} on a GPU (fp32 elsewhere), as the class its {@code output.kind} calls for.
     *
     * @throws ModelLoadException naming the file and the problem
     */
    static HeldModel load(Path modelDir, Device device, Precision precision) {
        ModelDescriptor descriptor = ModelDescriptor.read(modelDir);
        return switch (descriptor.output().kind()) {
            case ModelDescriptor.Output.EMBEDDING -> ImageEmbedder.load(descriptor, modelDir, device, precision);
            default -> ImageClassifier.load(descriptor, modelDir, device, precision);
        };
    }

    /** The TorchScript file this model was loaded from. */
    Path weights();

    /** The device the model runs on. */
    Device device();

    /** The precision the model computes in (fp32 off a GPU). */
    Precision precision();
}
