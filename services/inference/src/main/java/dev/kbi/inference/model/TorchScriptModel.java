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
import java.util.List;
import java.util.function.Function;

/**
 * A TorchScript module loaded once and held, run on uint8 image batches: the pixels go to the device
 * as they are, and scaling plus mean/std normalization run there as tensor ops (no per-pixel Java
 * loop). Every tensor of a call lives in a per-batch {@link NDManager} closed at the end, so native
 * memory does not grow across batches. What the output means is the caller's business
 * ({@link ImageClassifier}, {@link ImageEmbedder}).
 *
 * <p>Thread-safe: the module is only read, and each call has its own manager.
 */
final class TorchScriptModel implements AutoCloseable {

    private final ModelDescriptor descriptor;
    private final ZooModel<NDList, NDList> model;
    private final Device device;
    private final Precision precision;
    private final Path weights;

    private TorchScriptModel(ModelDescriptor descriptor, ZooModel<NDList, NDList> model, Device device,
            Precision precision, Path weights) {
        this.descriptor = descriptor;
        this.model = model;
        this.device = device;
        this.precision = precision;
        this.weights = weights;
    }

    /**
     * Loads the TorchScript file {@code descriptor} names in {@code modelDir} on {@code device},
     * computing in {@code precision} on a GPU (fp32 elsewhere, see {@link Precision#on}).
     *
     * @throws ModelLoadException naming the file and the problem
     */
    static TorchScriptModel load(ModelDescriptor descriptor, Path modelDir, Device device, Precision precision) {
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
            return new TorchScriptModel(descriptor, criteria.loadModel(), device, effective, weights);
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new ModelLoadException(weights, "cannot be loaded as a TorchScript model: " + e.getMessage(), e);
        }
    }

    ModelDescriptor descriptor() {
        return descriptor;
    }

    Path weights() {
        return weights;
    }

    Device device() {
        return device;
    }

    Precision precision() {
        return precision;
    }

    /**
     * Runs one batch and hands the model's output (on the device, in the model's precision) to
     * {@code head}, which turns it into Java values before the batch's tensors are freed.
     *
     * @param pixels one uint8 CHW array per image, of the descriptor's input shape
     * @throws IllegalArgumentException if an image has the wrong number of bytes
     */
    <T> T forward(List<byte[]> pixels, Function<NDArray, T> head) {
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
            NDArray output = model.getBlock()
                    .forward(new ParameterStore(manager, false), new NDList(normalize(manager, input)), false)
                    .singletonOrThrow();
            return head.apply(output);
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

    @Override
    public void close() {
        model.close();
    }
}
