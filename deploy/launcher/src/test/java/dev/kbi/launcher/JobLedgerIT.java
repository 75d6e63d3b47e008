package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobAnnouncement.ErrorLimit;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.runtime.KafkaClients;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One ledger: a job's counts come from its status alone (the stages' committed events), and the
 * manifest, the summary and the progress line say what the status says. Jobs produced straight to
 * the images topic, as another system would, so that their blocks can be made unreadable:
 * <ul>
 *   <li>an unreadable block in the middle of a job, with two foreign records (no job) on the same
 *       topic meanwhile: the job completes, its block counted as the rows it declared everywhere,
 *       and the foreign records are in no figure of the job;</li>
 *   <li>a job over its error limit: FAILED in the status, the manifest and the summary at the same
 *       moment, {@code _FAILED} written once and never replaced while the job's last rows drain.</li>
 * </ul>
 */
class JobLedgerIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int BLOCK_ROWS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyFigureOfAJobComesFromItsStatus(@TempDir Path temp) throws Exception {
        LaunchOptions options = new LaunchOptions(ROOT, SAMPLES, MODEL, temp.resolve("work"), temp.resolve("out"),
                "unused", 2, TIMEOUT, true, Map.of());
        try (RunningPipeline pipeline = RunningPipeline.start(options, System.out)) {
            anUnreadableBlockCountsItsDeclaredRowsEverywhereAndForeignRecordsNowhere(pipeline);
            aJobOverItsErrorLimitIsFailedEverywhereAndItsManifestWrittenOnce(pipeline, options.outputDir());
        }
    }

    private void anUnreadableBlockCountsItsDeclaredRowsEverywhereAndForeignRecordsNowhere(RunningPipeline pipeline)
            throws Exception {
        String job = "ledger-unreadable";
        RunningPipeline.Job submitted = pipeline.submit(job, SAMPLES, (bootstrap, id) -> produce(bootstrap, id, 300,
                Set.of(7), ErrorLimit.UNLIMITED, 4));
        JobSummary summary = pipeline.await(submitted, TIMEOUT);
        summary.print(System.out);
        JsonNode status = JSON.readTree(summary.status());
        JsonNode manifest = JSON.readTree(summary.jobDir().resolve("_SUCCESS").toFile());

        assertEquals("SUCCEEDED", status.path("state").asText());
        for (JsonNode counts : List.of(status, manifest)) {
            assertEquals(300, counts.path("totalRows").asLong(), counts.toString());
            assertEquals(280, counts.path("rowsWritten").asLong(), counts.toString());
            assertEquals(20, counts.path("rowsDeadLettered").asLong(), "the unreadable block's declared rows");
        }
        assertEquals(List.of(300L, 280L, 20L),
                List.of(summary.totalRows(), summary.rowsWritten(), summary.rowsDeadLettered()));
        assertEquals(20, submitted.deadLetters(), "the progress line's dead letters");
        assertEquals(300, status.path("stages").path("preprocessor").path("rowsIn").asLong(),
                "the two foreign records are not the job's");
        Map<String, Long> stageRows = new LinkedHashMap<>();
        summary.stages().forEach(s -> stageRows.put(s.stage(), s.rows()));
        assertEquals(Map.of("preprocessor", 280L, "inference", 280L, "writer", 280L), stageRows);
    }

    private void aJobOverItsErrorLimitIsFailedEverywhereAndItsManifestWrittenOnce(RunningPipeline pipeline,
            Path output) throws Exception {
        String job = "ledger-over-limit";
        RunningPipeline.Job submitted = pipeline.submit(job, SAMPLES, (bootstrap, id) -> produce(bootstrap, id, 200,
                Set.of(1, 2), new ErrorLimit(10, -1), -1));
        JobSummary summary = pipeline.await(submitted, TIMEOUT);
        summary.print(System.out);
        Path failed = output.resolve(job).resolve("_FAILED");
        byte[] first = Files.readAllBytes(failed);
        JsonNode manifest = JSON.readTree(first);
        JsonNode status = JSON.readTree(summary.status());

        assertEquals("FAILED", status.path("state").asText());
        assertEquals("FAILED", manifest.path("state").asText());
        assertTrue(summary.failed());
        assertEquals(status.path("finishedAtMillis").asLong(), manifest.path("completedAtMillis").asLong(),
                "the manifest is the status of the moment the job failed");
        assertTrue(manifest.path("message").asText().startsWith("Too many errors: "), manifest.toString());
        assertTrue(manifest.path("rowsDeadLettered").asLong() > 10, manifest.toString());
        assertEquals(manifest.path("rowsDeadLettered").asLong(), summary.rowsDeadLettered());
        assertFalse(Files.exists(output.resolve(job).resolve("_SUCCESS")));

        // The rows in flight when it failed still drain into its status; the manifest stays as written.
        Awaitility.await("every row of " + job + " counted").atMost(Duration.ofSeconds(60))
                .until(() -> {
                    JsonNode now = JSON.readTree(JobStatusQuery.await(pipeline.writer(), job, Duration.ofSeconds(5)));
                    return now.path("rowsWritten").asLong() + now.path("rowsDeadLettered").asLong() == 200;
                });
        assertArrayEquals(first, Files.readAllBytes(failed), "_FAILED written once");
        assertFalse(Files.exists(output.resolve(job).resolve("_SUCCESS")));
    }

    /**
     * Sends {@code rows} sample images in blocks of {@link #BLOCK_ROWS}, the blocks at {@code unreadable}
     * replaced by bytes that are no Arrow stream (each still declaring its rows), then the announcement;
     * before block {@code foreignAt} (if any), two records of no job.
     */
    private static void produce(String bootstrap, String jobId, int rows, Set<Integer> unreadable, ErrorLimit limit,
            int foreignAt) throws Exception {
        List<Path> files;
        try (var list = Files.list(SAMPLES)) {
            files = list.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        Pipeline names = Pipeline.defaults();
        try (BlockCodec codec = new BlockCodec(); KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(
                Map.of("bootstrap.servers", bootstrap), "ledger-it", LocalPipeline.MAX_MESSAGE_BYTES)) {
            for (int block = 0; block * BLOCK_ROWS < rows; block++) {
                if (block == foreignAt) {
                    for (int i = 0; i < 2; i++) {
                        producer.send(new ProducerRecord<>(names.topics().images(),
                                Files.readAllBytes(files.get(i)))).get();
                    }
                }
                List<ImageRow> blockRows = new ArrayList<>();
                for (int i = block * BLOCK_ROWS; i < Math.min(rows, (block + 1) * BLOCK_ROWS); i++) {
                    Path file = files.get(i % files.size());
                    blockRows.add(new ImageRow(String.format("%s-%08d", jobId, i), file.toString(), 0,
                            Files.readAllBytes(file)));
                }
                byte[] value = unreadable.contains(block) ? notArrow() : codec.encode(ImageRow.SCHEMA, blockRows);
                String seq = Integer.toString(block);
                producer.send(new ProducerRecord<>(names.topics().images(), null,
                        (jobId + "/" + seq).getBytes(StandardCharsets.UTF_8), value,
                        BlockHeaders.of(jobId, seq, blockRows.size(), ImageRow.SCHEMA))).get();
            }
            producer.send(new ProducerRecord<>(names.topics().jobs(), jobId.getBytes(StandardCharsets.UTF_8),
                    JobJson.write(new JobAnnouncement(jobId, "kafka", rows, System.currentTimeMillis(), limit)))).get();
        }
    }

    /** An Arrow continuation marker and a short declared length, then text: unreadable, and cheap to refuse. */
    private static byte[] notArrow() {
        byte[] body = "not an Arrow IPC stream".getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + body.length).putInt(-1).order(ByteOrder.LITTLE_ENDIAN).putInt(body.length)
                .put(body).array();
    }
}
