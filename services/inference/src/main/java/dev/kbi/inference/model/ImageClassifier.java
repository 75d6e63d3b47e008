package dev.kbi.inference.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A TorchScript image classifier loaded once and held for the life of the service. Each call runs
 * one model batch: uint8 pixels go to the device as they are, and scaling plus mean/std
 * normalization run there as tensor ops (no per-pixel Java loop); every tensor of the call lives in
 * a per-batch {@link NDManager} closed at the end, so native memory does not grow across batches.
 *
 * <p>Thread-safe: the TorchScript module is only read, and each call has its own manager.
 */
public final class ImageClassifier implements BatchModel {

    private final ModelDescriptor descriptor;
    private final List<String> labels;
    private final ZooModel<NDList, NDList> model;
    private final Device device;
    private final Precision precision;
    private final Path weights;

    private ImageClassifier(ModelDescriptor descriptor, List<String> labels, ZooModel<NDList, NDList> model,
            Device device, Precision precision, Path weights) {
        this.descriptor = descriptor;
        this.labels = labels;
        this.model = model;
        this.device = device;
        this.precision = precision;
        this.weights = weights;
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
     * @throws ModelLoadException naming the file and the problem
     */
    public static ImageClassifier load(Path modelDir, Device device, Precision precision) {
        ModelDescriptor descriptor = ModelDescriptor.read(modelDir);
        List<String> labels = descriptor.readLabels(modelDir);
        Precision effective = precision.on(device);
        Path weights = modelDir.resolve(descriptor.file(effective));
        if (!Files.isRegularFile(weights)) {
            throw new ModelLoadException(weights, "TorchScript file not found (named by model.json)");
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(weights)
                .optEngine("PyTorch")
                .optDevice(device)
                .optTranslator(new NoopTranslator(null))
                .build();
        try {
            return new ImageClassifier(descriptor, labels, criteria.loadModel(), device, effective, weights);
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new ModelLoadException(weights, "cannot be loaded as a TorchScript model: " + e.getMessage(), e);
        }
    }

    /** The TorchScript file this model was loaded from. */
    public Path weights() {
        return weights;
    }

    /** The device the model runs on. */
    public Device device() {
        return device;
    }

    /** The precision the model computes in (fp32 off a GPU). */
    public Precision precision() {
        return precision;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<Classification> classify(List<byte[]> pixels) {
        ModelDescriptor.Input in = descriptor.input();
        int imageBytes = in.channels() * in.height() * in.width();
        ByteBuffer batch = ByteBuffer.allocateDirect(pixels.size() * imageBytes);
        for (byte[] image : pixels) {
            if (image.length != imageBytes) {
                throw new IllegalArgumentException("Image of " + image.length + " bytes, model " + descriptor.name()
                        + " expects " + in.channels() + "x" + in.height() + "x" + in.width());
            }
            batch.put(image);
        }
        batch.flip();
        try (NDManager manager = model.getNDManager().newSubManager(device)) {
            NDArray input = manager.create(batch, new Shape(pixels.size(), in.channels(), in.height(), in.width()),
                    DataType.UINT8);
            NDArray logits = model.getBlock()
                    .forward(new ParameterStore(manager, false), new NDList(normalize(manager, input)), false)
                    .singletonOrThrow();
            // Scores in fp32 whatever the model computes in: half-precision softmax loses the small ones.
            float[] probabilities = logits.toType(DataType.FLOAT32, false).softmax(1).toFloatArray();
            return topK(probabilities, pixels.size());
        }
    }

    private NDArray normalize(NDManager manager, NDArray input) {
        ModelDescriptor.Normalize norm = descriptor.normalize();
        Shape perChannel = new Shape(1, norm.mean().length, 1, 1);
        NDArray mean = manager.create(norm.mean(), perChannel);
        NDArray std = manager.create(norm.std(), perChannel);
        NDArray normalized = input.toType(DataType.FLOAT32, false).div(norm.scale()).sub(mean).div(std);
        return normalized.toType(precision.dataType(), false);
    }

    private List<Classification> topK(float[] probabilities, int rows) {
        int classes = probabilities.length / rows;
        if (classes != labels.size()) {
            throw new IllegalStateException("Model " + descriptor.name() + " returned " + classes
                    + " classes but its labels file has " + labels.size());
        }
        int k = Math.min(descriptor.output().topK(), classes);
        List<Classification> results = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            results.add(Classification.top(probabilities, row * classes, classes, k, labels));
        }
        return results;
    }

    @Override
    public void close() {
        model.close();
    }
}
