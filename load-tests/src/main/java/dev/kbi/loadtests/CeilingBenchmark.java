package dev.kbi.loadtests;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

/**
 * The ceiling: the model loaded once, a bare loop over pre-decoded uint8 tensors in memory, the
 * same on-engine normalization and softmax as the service — no Kafka, no decoding, no threads.
 * What the pipeline's inference stage could at best reach on this machine.
 */
final class CeilingBenchmark {

    private CeilingBenchmark() {
    }

    /** Images per second over {@code rows} images in batches of {@code batchSize}, after a warm-up. */
    static double imagesPerSecond(Path modelDir, int rows, int batchSize) throws Exception {
        JsonNode descriptor = new ObjectMapper().readTree(modelDir.resolve("model.json").toFile());
        JsonNode in = descriptor.path("input");
        Shape shape = new Shape(batchSize, in.path("channels").asInt(), in.path("height").asInt(),
                in.path("width").asInt());
        float scale = (float) descriptor.path("normalize").path("scale").asDouble();
        float[] mean = floats(descriptor.path("normalize").path("mean"));
        float[] std = floats(descriptor.path("normalize").path("std"));
        byte[] pixels = new byte[(int) shape.size()];
        new Random(42).nextBytes(pixels);
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(modelDir.resolve(descriptor.path("file").asText())).optEngine("PyTorch")
                .optTranslator(new NoopTranslator(null)).build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor()) {
            int batches = Math.max(1, rows / batchSize);
            runBatches(model, predictor, shape, pixels, scale, mean, std, Math.max(2, batches / 10));
            long start = System.nanoTime();
            runBatches(model, predictor, shape, pixels, scale, mean, std, batches);
            return batches * (double) batchSize / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void runBatches(ZooModel<NDList, NDList> model, Predictor<NDList, NDList> predictor, Shape shape,
            byte[] pixels, float scale, float[] mean, float[] std, int batches) throws Exception {
        Shape perChannel = new Shape(1, mean.length, 1, 1);
        ByteBuffer buffer = ByteBuffer.allocateDirect(pixels.length);
        buffer.put(pixels).flip();
        for (int b = 0; b < batches; b++) {
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDArray x = manager.create(buffer.duplicate(), shape, DataType.UINT8).toType(DataType.FLOAT32, false)
                        .div(scale).sub(manager.create(mean, perChannel)).div(manager.create(std, perChannel));
                predictor.predict(new NDList(x)).singletonOrThrow().softmax(1).toFloatArray();
            }
        }
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }
}
