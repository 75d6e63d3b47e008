package dev.kbi.inference.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A TorchScript image classifier ({@code output.kind} {@code classes}) loaded once and held: the
 * model's logits {@code N x classes} become softmax probabilities and the top-k labels of each
 * image. Loading and running the module is {@link TorchScriptModel}'s job.
 *
 * <p>Thread-safe.
 */
public final class ImageClassifier extends TorchScriptHeldModel {

    private final List<String> labels;

    private ImageClassifier(TorchScriptModel model, List<String> labels) {
        super(model);
        this.labels = labels;
    }

    /**
     * Loads the model described by {@code <modelDir>/model.json} on {@code device} (a DJL device
     * name: {@code cpu}, {@code gpu}, {@code gpu:N}), in fp32.
     *
     * @throws ModelLoadException naming the file and the problem
     */
    public static ImageClassifier load(Path modelDir, String device) {
        return load(modelDir, Device.fromName(device), Precision.FP32);
    }

    /**
     * Loads the model described by {@code <modelDir>/model.json} on {@code device}, computing in
     * {@code precision} on a GPU (fp32 elsewhere, see {@link Precision#on}).
     *
     * @throws ModelLoadException naming the file and the problem, also when model.json describes
     *         another kind of model
     */
    public static ImageClassifier load(Path modelDir, Device device, Precision precision) {
        return load(ModelDescriptor.read(modelDir), modelDir, device, precision);
    }

    static ImageClassifier load(ModelDescriptor descriptor, Path modelDir, Device device, Precision precision) {
        requireKind(descriptor, modelDir, ModelDescriptor.Output.CLASSES);
        List<String> labels = descriptor.readLabels(modelDir);
        return new ImageClassifier(TorchScriptModel.load(descriptor, modelDir, device, precision), labels);
    }

    @Override
    public List<Classification> predict(List<byte[]> pixels) {
        return classify(pixels);
    }

    /** Classifies one model batch: per image, the top-k classes, best first. */
    public List<Classification> classify(List<byte[]> pixels) {
        // Scores in fp32 whatever the model computes in: half-precision softmax loses the small ones.
        float[] probabilities = model.forward(pixels,
                logits -> logits.toType(DataType.FLOAT32, false).softmax(1).toFloatArray());
        return topK(probabilities, pixels.size());
    }

    private List<Classification> topK(float[] probabilities, int rows) {
        int classes = probabilities.length / rows;
        if (classes != labels.size()) {
            throw new IllegalStateException("Model " + descriptor().name() + " returned " + classes
                    + " classes but its labels file has " + labels.size());
        }
        int k = Math.min(descriptor().output().topK(), classes);
        List<Classification> results = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            results.add(Classification.top(probabilities, row * classes, classes, k, labels));
        }
        return results;
    }
}
