package dev.kbi.inference.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TorchScript feature extractor ({@code output.kind} {@code embedding}) loaded once and held:
 * the model's output row for an image is its embedding, {@code N x D} (trailing dimensions of size
 * 1, as in {@code N x D x 1 x 1}, are dropped). With {@code output.normalize} each vector is scaled
 * to unit L2 norm as a tensor op on the device. Every vector of a model has the same dimension
 * {@code D}: {@code output.dimension} from model.json when given, else the first batch's; an output
 * of another dimension fails the batch with both numbers named. Loading and running the module is
 * {@link TorchScriptModel}'s job.
 *
 * <p>Thread-safe.
 */
public final class ImageEmbedder extends TorchScriptHeldModel {

    /** Smallest norm divided by, as {@code torch.nn.functional.normalize}: an all-zero vector stays zero. */
    private static final float MIN_NORM = 1e-12f;

    /** The dimension every vector must have; 0 until the first batch when model.json does not give it. */
    private final AtomicInteger dimension;

    private ImageEmbedder(TorchScriptModel model) {
        super(model);
        this.dimension = new AtomicInteger(model.descriptor().output().dimension());
    }

    /**
     * Loads the feature extractor described by {@code <modelDir>/model.json} on {@code device}
     * (a DJL device name: {@code cpu}, {@code gpu}, {@code gpu:N}), in fp32.
     *
     * @throws ModelLoadException naming the file and the problem
     */
    public static ImageEmbedder load(Path modelDir, String device) {
        return load(modelDir, Device.fromName(device), Precision.FP32);
    }

    /**
     * Loads the feature extractor described by {@code <modelDir>/model.json} on {@code device},
     * computing in {@code precision} on a GPU (fp32 elsewhere, see {@link Precision#on}).
     *
     * @throws ModelLoadException naming the file and the problem, also when model.json describes
     *         another kind of model
     */
    public static ImageEmbedder load(Path modelDir, Device device, Precision precision) {
        return load(ModelDescriptor.read(modelDir), modelDir, device, precision);
    }

    static ImageEmbedder load(ModelDescriptor descriptor, Path modelDir, Device device, Precision precision) {
        requireKind(descriptor, modelDir, ModelDescriptor.Output.EMBEDDING);
        return new ImageEmbedder(TorchScriptModel.load(descriptor, modelDir, device, precision));
    }

    /** The dimension of every vector: model.json's {@code output.dimension}, else the first batch's (0 before it). */
    public int dimension() {
        return dimension.get();
    }

    @Override
    public List<Embedding> predict(List<byte[]> pixels) {
        return embed(pixels);
    }

    /** One model batch: per image, in order, its embedding. */
    public List<Embedding> embed(List<byte[]> pixels) {
        int rows = pixels.size();
        int[] width = new int[1];
        float[] values = model.forward(pixels, output -> {
            width[0] = vectorSize(output.getShape(), rows);
            return toVectors(output.reshape(rows, width[0])).toFloatArray();
        });
        int d = width[0];
        checkDimension(d);
        List<Embedding> results = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            results.add(new Embedding(Arrays.copyOfRange(values, row * d, (row + 1) * d)));
        }
        return results;
    }

    /** fp32 (whatever the model computes in), L2-normalized per row if model.json asks for it. */
    private NDArray toVectors(NDArray output) {
        NDArray vectors = output.toType(DataType.FLOAT32, false);
        if (!descriptor().output().normalize()) {
            return vectors;
        }
        return vectors.div(vectors.norm(new int[] {1}, true).maximum(MIN_NORM));
    }

    /** D of an output {@code N x D} (or {@code N x D x 1 ...}); anything else is not one vector per image. */
    private int vectorSize(Shape shape, int rows) {
        boolean vectors = shape.dimension() >= 2 && shape.get(0) == rows;
        for (int axis = 2; vectors && axis < shape.dimension(); axis++) {
            vectors = shape.get(axis) == 1;
        }
        if (!vectors) {
            throw new IllegalStateException("Embedding model " + descriptor().qualifiedName() + " returned shape "
                    + shape + " for " + rows + " images; it must return one vector per image, N x D");
        }
        return Math.toIntExact(shape.get(1));
    }

    private void checkDimension(int d) {
        int expected = dimension.get();
        if (expected == 0 && dimension.compareAndSet(0, d)) {
            return;
        }
        expected = dimension.get();
        if (d != expected) {
            String since = descriptor().output().dimension() > 0 ? "output.dimension in model.json"
                    : "the dimension of its first batch";
            throw new IllegalStateException("Embedding model " + descriptor().qualifiedName() + " returned vectors of "
                    + "dimension " + d + " but every row must have dimension " + expected + " (" + since + ")");
        }
    }
}
