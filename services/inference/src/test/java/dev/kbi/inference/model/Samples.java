package dev.kbi.inference.model;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The bundled models and the 300 sample images, shared by tests. */
public final class Samples {

    public static final Path MODEL_DIR = ImageClassifierTest.MODEL_DIR;
    /** The classifier's penultimate layer as a feature extractor: 128-d vectors, L2-normalized by model.json. */
    public static final Path EMBEDDING_MODEL_DIR = Path.of("../../models/fashion-mnist-embedding");
    public static final int EMBEDDING_DIMENSION = 128;
    private static List<byte[]> images;
    private static List<float[]> directEmbeddings;

    private Samples() {
    }

    /** The sample images as uint8 1x28x28 tensors, in labels.csv order (loaded once). */
    public static synchronized List<byte[]> images() {
        if (images == null) {
            try {
                List<String> lines = Files.readAllLines(ImageClassifierTest.SAMPLES.resolve("labels.csv"));
                List<byte[]> loaded = new ArrayList<>();
                for (String line : lines.subList(1, lines.size())) {
                    loaded.add(ImageClassifierTest.grayPixels(ImageClassifierTest.SAMPLES.resolve(line.split(",", 2)[0])));
                }
                images = List.copyOf(loaded);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return images;
    }

    /**
     * The embedding model's raw output for each sample image, from a plain DJL forward of one image at
     * a time on an input normalized pixel by pixel in Java (no code of the service involved), loaded once.
     */
    public static synchronized List<float[]> directEmbeddings() {
        if (directEmbeddings == null) {
            Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                    .optModelPath(EMBEDDING_MODEL_DIR.resolve("model.pt")).optEngine("PyTorch")
                    .optTranslator(new NoopTranslator(null)).build();
            List<float[]> vectors = new ArrayList<>();
            try (ZooModel<NDList, NDList> model = criteria.loadModel();
                    Predictor<NDList, NDList> predictor = model.newPredictor();
                    NDManager manager = NDManager.newBaseManager()) {
                for (byte[] image : images()) {
                    float[] x = new float[image.length];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = ((image[i] & 0xff) / 255f - 0.2860f) / 0.3530f;
                    }
                    try (NDList out = predictor.predict(new NDList(manager.create(x, new Shape(1, 1, 28, 28))))) {
                        vectors.add(out.singletonOrThrow().toFloatArray());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("direct forward of " + EMBEDDING_MODEL_DIR + " failed", e);
            }
            directEmbeddings = List.copyOf(vectors);
        }
        return directEmbeddings;
    }

    /** {@code v / |v|}, in double. */
    public static float[] l2Normalized(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.max(Math.sqrt(sum), 1e-12);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    /** Same top-1 and top-1 score within 1e-4 (what "results do not depend on the batch size" means). */
    public static boolean sameTop1(ModelOutput a, ModelOutput b) {
        return a.labels().get(0).equals(b.labels().get(0)) && Math.abs(a.scores()[0] - b.scores()[0]) <= 1e-4;
    }
}
