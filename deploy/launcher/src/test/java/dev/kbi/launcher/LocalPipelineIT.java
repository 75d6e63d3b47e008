package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product as a user runs it: a real KRaft broker, the four packaged services in their own
 * JVMs, the bundled images plus a TIFF, two broken files and a text file. Every image comes out
 * once, in Parquet, with the prediction a direct DJL call on the same image gives; the broken files
 * are dead letters, the text file is named as left out, and the counts add up.
 */
class LocalPipelineIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");

    @Test
    void classifiesEveryImageOnceAndDeadLettersTheBrokenOnes(@TempDir Path temp) throws Exception {
        Path input = temp.resolve("input");
        Files.createDirectories(input);
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path file : files.toList()) {
                Files.copy(file, input.resolve(file.getFileName()));
            }
        }
        byte[] png = Files.readAllBytes(SAMPLES.resolve("test-00000.png"));
        Files.write(input.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.writeString(input.resolve("notes.jpg"), "this is text, not a JPEG");
        // A TIFF is taken by default and decoded; a text file is left out by extension, and said so.
        javax.imageio.ImageIO.write(javax.imageio.ImageIO.read(SAMPLES.resolve("test-00000.png").toFile()), "tiff",
                input.resolve("scan.tif").toFile());
        Files.writeString(input.resolve("notes.txt"), "not an image, left out");

        LaunchOptions options = new LaunchOptions(ROOT, input, MODEL, temp.resolve("work"), temp.resolve("out"),
                "it-job", 2, Duration.ofMinutes(5), false, Map.of());
        JobSummary summary = new LocalPipeline(options, System.out).run();
        summary.print(System.out);

        assertEquals(303, summary.totalRows());
        assertEquals(301, summary.rowsWritten());
        assertEquals(2, summary.rowsDeadLettered());
        assertEquals(summary.totalRows(), summary.rowsWritten() + summary.rowsDeadLettered());
        assertJobStatus(summary.status());
        // The summary's per-stage rows are the job's status's: the reader emitted 302, the others passed on 300.
        Map<String, Long> stageRows = new java.util.LinkedHashMap<>();
        summary.stages().forEach(s -> stageRows.put(s.stage(), s.rows()));
        assertEquals(Map.of("reader", 303L, "preprocessor", 301L, "inference", 301L, "writer", 301L), stageRows);
        // The bundled samples' own non-image files and the text file.
        assertEquals(new dev.kbi.common.job.JobAnnouncement.SkippedFiles(4,
                List.of("LICENSE.txt", "labels.csv", "make_samples.py", "notes.txt")), summary.skippedFiles());

        Map<String, Group> rows = readAll(summary.files());
        assertEquals(301, rows.size(), "one row per image, no duplicates");
        assertEquals(279, summary.correct(), "93% of the 300 labelled samples, as train.py measured");
        assertEquals(300, summary.labelled());
        assertPredictionsEqualDirectModelCalls(rows);
        assertDeadLetters(summary.jobDir());
    }

    /** The writer's job status (aggregated from the stages' events) agrees with the files. */
    private static void assertJobStatus(String json) throws Exception {
        com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertEquals("SUCCEEDED", status.path("state").asText(), json);
        assertEquals(303, status.path("totalRows").asLong());
        assertEquals(301, status.path("rowsWritten").asLong());
        assertEquals(2, status.path("rowsDeadLettered").asLong());
        assertEquals(303, status.path("stages").path("reader").path("rowsIn").asLong(), "the reader counted every file");
        assertEquals(4, status.path("skippedFiles").path("count").asLong(), json);
        assertEquals("notes.txt", status.path("skippedFiles").path("examples").path(3).asText(), json);
        assertEquals(2, status.path("stages").path("preprocessor").path("rowsDeadLettered").asLong());
        assertEquals(2, status.path("firstErrors").size(), json);
    }

    private static void assertPredictionsEqualDirectModelCalls(Map<String, Group> rows) throws Exception {
        List<String> labels = Files.readAllLines(MODEL.resolve("labels.txt"));
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(MODEL.resolve("model.pt")).optEngine("PyTorch")
                .optTranslator(new NoopTranslator(null)).build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            for (Map.Entry<String, Group> entry : rows.entrySet()) {
                BufferedImage image = ImageIO.read(Path.of(entry.getKey()).toFile());
                float[] x = new float[28 * 28];
                for (int y = 0; y < 28; y++) {
                    for (int col = 0; col < 28; col++) {
                        x[y * 28 + col] = ((image.getRaster().getSample(col, y, 0) / 255f) - 0.2860f) / 0.3530f;
                    }
                }
                NDArray input = manager.create(x, new Shape(1, 1, 28, 28));
                float[] probabilities = predictor.predict(new NDList(input)).singletonOrThrow()
                        .softmax(1).toType(DataType.FLOAT32, false).toFloatArray();
                int best = 0;
                for (int c = 1; c < probabilities.length; c++) {
                    best = probabilities[c] > probabilities[best] ? c : best;
                }
                Group row = entry.getValue();
                assertEquals(labels.get(best), row.getString("top1_label", 0), entry.getKey());
                assertEquals(probabilities[best], row.getFloat("top1_score", 0), 1e-4, entry.getKey());
                assertEquals("fashion-mnist-cnn:1", row.getString("model", 0));
            }
        }
    }

    private static void assertDeadLetters(Path jobDir) throws Exception {
        Set<String> sources = new HashSet<>();
        for (Group row : PipelineOutput.rows(jobDir, "dead-letters")) {
            sources.add(Path.of(row.getString("source", 0)).getFileName().toString());
            assertEquals("preprocessor", row.getString("stage", 0));
            assertTrue(row.getString("message", 0).length() > 5);
        }
        assertEquals(Set.of("truncated.png", "notes.jpg"), sources);
    }

    private static Map<String, Group> readAll(List<Path> files) throws Exception {
        return PipelineOutput.predictionsBySource(files);
    }
}
