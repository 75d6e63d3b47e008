package dev.kbi.inference.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled Fashion-MNIST feature extractor ({@code output.kind} embedding) through the real DJL PyTorch engine. */
class ImageEmbedderTest {

    private static ImageEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = ImageEmbedder.load(Samples.EMBEDDING_MODEL_DIR, "cpu");
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static List<Embedding> embedInBatches(ImageEmbedder model, int batchSize) {
        List<byte[]> images = Samples.images();
        List<Embedding> results = new ArrayList<>();
        for (int i = 0; i < images.size(); i += batchSize) {
            results.addAll(model.embed(images.subList(i, Math.min(images.size(), i + batchSize))));
        }
        return results;
    }

    @Test
    void vectorsHaveTheModelsDimensionAndEqualADirectForward() {
        List<Embedding> results = embedInBatches(embedder, 32);
        List<float[]> direct = Samples.directEmbeddings();
        assertEquals(300, results.size());
        for (int i = 0; i < results.size(); i++) {
            Embedding result = results.get(i);
            assertEquals(Samples.EMBEDDING_DIMENSION, result.vector().length, "row " + i);
            assertEquals(Samples.EMBEDDING_DIMENSION, direct.get(i).length, "the model's own output, row " + i);
            assertArrayEquals(Samples.l2Normalized(direct.get(i)), result.vector(), 1e-4f, "row " + i);
            assertEquals(1.0, norm(result.vector()), 1e-5, "output.normalize: unit length, row " + i);
            assertEquals(List.of(), result.labels());
            assertEquals(0, result.scores().length);
            assertSame(result.vector(), result.embedding());
        }
        assertEquals(Samples.EMBEDDING_DIMENSION, embedder.dimension());
    }

    @Test
    void nearestNeighboursShareTheirClass() throws IOException {
        List<String> lines = Files.readAllLines(ImageClassifierTest.SAMPLES.resolve("labels.csv"));
        List<String> truth = lines.subList(1, lines.size()).stream().map(l -> l.split(",", 3)[2]).toList();
        List<Embedding> vectors = embedInBatches(embedder, 32);
        int agree = 0;
        for (int i = 0; i < vectors.size(); i++) {
            int nearest = -1;
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < vectors.size(); j++) {
                double cosine = dot(vectors.get(i).vector(), vectors.get(j).vector()); // unit vectors
                if (j != i && cosine > best) {
                    best = cosine;
                    nearest = j;
                }
            }
            agree += truth.get(nearest).equals(truth.get(i)) ? 1 : 0;
        }
        // Leave-one-out 1-NN by cosine over the 300 samples: 270 in PyTorch (torch.nn.functional.normalize).
        assertTrue(agree >= 265 && agree <= 275, agree + " of 300 nearest neighbours share the class");
    }

    @Test
    void vectorsDoNotDependOnTheBatchSize() {
        List<float[]> direct = Samples.directEmbeddings();
        for (int batchSize : new int[] {1, 7, 64, 300}) {
            List<Embedding> results = embedInBatches(embedder, batchSize);
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(Samples.l2Normalized(direct.get(i)), results.get(i).vector(), 1e-4f,
                        "row " + i + ", batch " + batchSize);
            }
        }
    }

    @Test
    void withoutNormalizeTheVectorIsTheModelsOutputRow(@TempDir Path dir) throws IOException {
        Files.copy(Samples.EMBEDDING_MODEL_DIR.resolve("model.pt"), dir.resolve("model.pt"));
        writeDescriptor(dir, "{\"kind\":\"embedding\"}");
        try (ImageEmbedder raw = ImageEmbedder.load(dir, "cpu")) {
            assertEquals(0, raw.dimension(), "not declared: learnt from the first batch");
            List<Embedding> results = embedInBatches(raw, 50);
            List<float[]> direct = Samples.directEmbeddings();
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(direct.get(i), results.get(i).vector(), 1e-4f, "row " + i);
            }
            assertEquals(Samples.EMBEDDING_DIMENSION, raw.dimension());
        }
    }

    @Test
    void aDimensionOtherThanModelJsonsFailsNamingBoth(@TempDir Path dir) throws IOException {
        Files.copy(Samples.EMBEDDING_MODEL_DIR.resolve("model.pt"), dir.resolve("model.pt"));
        writeDescriptor(dir, "{\"kind\":\"embedding\",\"dimension\":64,\"normalize\":true}");
        try (ImageEmbedder wrong = ImageEmbedder.load(dir, "cpu")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> wrong.embed(Samples.images().subList(0, 2)));
            assertTrue(e.getMessage().contains("dimension 128"), e.getMessage());
            assertTrue(e.getMessage().contains("dimension 64"), e.getMessage());
            assertTrue(e.getMessage().contains("output.dimension in model.json"), e.getMessage());
            assertTrue(e.getMessage().contains("m:1"), e.getMessage());
        }
    }

    @Test
    void theKindInModelJsonPicksTheModelClass() {
        try (HeldModel classes = HeldModel.load(Samples.MODEL_DIR, Device.cpu(), Precision.FP32);
                HeldModel embedding = HeldModel.load(Samples.EMBEDDING_MODEL_DIR, Device.cpu(), Precision.FP32)) {
            assertInstanceOf(ImageClassifier.class, classes);
            assertInstanceOf(ImageEmbedder.class, embedding);
            assertEquals("fashion-mnist-cnn-embedding:1", embedding.descriptor().qualifiedName());
            ModelOutput output = embedding.predict(Samples.images().subList(0, 1)).get(0);
            assertEquals(Samples.EMBEDDING_DIMENSION, output.embedding().length);
            assertNull(classes.predict(Samples.images().subList(0, 1)).get(0).embedding());
        }
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ImageClassifier.load(Samples.EMBEDDING_MODEL_DIR, "cpu"));
        assertTrue(e.getMessage().contains("\"embedding\", not \"classes\""), e.getMessage());
        e = assertThrows(ModelLoadException.class, () -> ImageEmbedder.load(Samples.MODEL_DIR, "cpu"));
        assertTrue(e.getMessage().contains("\"classes\", not \"embedding\""), e.getMessage());
    }

    @Test
    void wrongImageSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> embedder.embed(List.of(new byte[10])));
    }

    @Test
    void descriptorsAreValidatedPerKind(@TempDir Path dir) throws IOException {
        writeDescriptor(dir, "{\"kind\":\"embedding\"}");
        ModelDescriptor embedding = ModelDescriptor.read(dir);
        assertEquals(new ModelDescriptor.Output("embedding", null, 0, 0, false), embedding.output());

        assertRefused(dir, "{\"kind\":\"classes\",\"topK\":3}", "output.labels and output.topK are required");
        assertRefused(dir, "{\"kind\":\"classes\",\"labels\":\"labels.txt\"}",
                "output.labels and output.topK are required");
        assertRefused(dir, "{\"kind\":\"classes\",\"labels\":\"labels.txt\",\"topK\":3,\"normalize\":true}",
                "apply to output.kind \"embedding\" only");
        assertRefused(dir, "{\"kind\":\"embedding\",\"dimension\":-1}", "output.dimension must be positive");
        assertRefused(dir, "{\"kind\":\"boxes\"}", "output.kind must be \"classes\" or \"embedding\"");
        assertRefused(dir, "{}", "output.kind must be");
    }

    private static void assertRefused(Path dir, String output, String problem) throws IOException {
        writeDescriptor(dir, output);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelDescriptor.read(dir), output);
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("model.json").toAbsolutePath().toString()), e.getMessage());
    }

    private static void writeDescriptor(Path dir, String output) throws IOException {
        Files.writeString(dir.resolve("model.json"), "{\"name\":\"m\",\"version\":\"1\",\"file\":\"model.pt\","
                + "\"input\":{\"channels\":1,\"height\":28,\"width\":28},"
                + "\"normalize\":{\"scale\":255,\"mean\":[0.2860],\"std\":[0.3530]},"
                + "\"output\":" + output + "}");
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }
}
