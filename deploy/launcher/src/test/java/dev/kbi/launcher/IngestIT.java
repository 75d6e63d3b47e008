package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public input topic, fed as another system would: a plain producer sends raw images, JSON file
 * references and an Arrow block to {@code kbi.input}, with keys, mixed with malformed records of
 * every kind, then announces the job's total on {@code kbi.jobs}. Every good row is written once
 * with its key (Parquet {@code key} column, the results topic's record key), every bad record is a
 * dead letter with its reason, the counts add up; a record with no job id flows into the default
 * ({@code stream}) job.
 */
class IngestIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final String JOB = "ingest-job";
    private static final String INPUT = Pipeline.defaults().topics().input();

    /** Row id -> key of every good row ("" for none; the keyless raw image's id is its position). */
    private static final Map<String, String> WRITTEN = Map.of("k-raw-1", "k-raw-1", "k-raw-2", "k-raw-2",
            "row-3", "k-raw-3", "ref-1", "k-ref-1", "k-ref-2", "k-ref-2", "arrow-1", "k-arrow-1", "arrow-2", "");
    private static final int KEYLESS = 1;
    /** Dead-letter error class (simple name) -> how many, by stage. */
    private static final Map<String, Integer> DEAD = Map.of(
            "ingest RefusedRecord$UnsupportedContentType", 1, "ingest RefusedRecord$MalformedReference", 3,
            "ingest RefusedRecord$EmptyRecord", 1, "ingest RefusedRecord$InvalidId", 1,
            "ingest PathOutsideAllowedRoots", 1, "ingest BlockFormatException", 1,
            "preprocessor ImageDecodeException", 1);

    @Test
    void recordsOfEveryFormatAreWrittenWithTheirKeysAndMalformedOnesDeadLetteredWithTheirReason(@TempDir Path temp)
            throws Exception {
        Path output = temp.resolve("out");
        LaunchOptions options = new LaunchOptions(ROOT, SAMPLES, MODEL, temp.resolve("work"), output, JOB, 2,
                Duration.ofMinutes(3), true, Map.of("READER_ALLOWED_ROOTS", SAMPLES.toString()));
        String[] bootstrap = new String[1];
        JobSummary summary;
        try (RunningPipeline pipeline = RunningPipeline.start(options, System.out)) {
            bootstrap[0] = pipeline.bootstrapServers();
            summary = pipeline.await(pipeline.submit(JOB, SAMPLES, IngestIT::produce), Duration.ofMinutes(3));
            summary.print(System.out);
            assertEquals("SUCCEEDED", summary.state());
            int good = WRITTEN.size() + KEYLESS;
            int bad = DEAD.values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(good + bad, summary.totalRows());
            assertEquals(good, summary.rowsWritten());
            assertEquals(bad, summary.rowsDeadLettered());

            List<Group> predictions = PipelineOutput.rows(summary.jobDir(), "predictions");
            assertEquals(expectedKeys(predictions), keysByRowId(predictions));
            Map<String, JsonNode> results = ResultsTopic.of(bootstrap[0], JOB);
            Map<String, String> resultKeys = new TreeMap<>();
            results.forEach((key, result) -> resultKeys.put(result.path("id").asText(), key));
            Map<String, String> expectedResultKeys = new TreeMap<>();
            keysByRowId(predictions).forEach((id, key) -> expectedResultKeys.put(id, key.isEmpty() ? id : key));
            assertEquals(expectedResultKeys, resultKeys, "results topic keys: the input's key, else the row id");

            List<Group> dead = PipelineOutput.rows(summary.jobDir(), "dead-letters");
            assertEquals(DEAD, deadLettersByKind(dead));
            // Each failed record is answered on the results topic too, under its key where it had a valid one.
            Map<String, JsonNode> errors = ResultsTopic.of(bootstrap[0], JOB, "error");
            assertEquals(DEAD.values().stream().mapToInt(Integer::intValue).sum(), errors.size(), errors.toString());
            assertEquals("preprocessor", errors.get("k-not-an-image").path("error").path("stage").asText());
            assertTrue(errors.get("k-text").path("error").path("message").asText().contains("text/plain"));
            assertEquals(List.of("k-bad-json", "k-empty", "k-extra", "k-not-an-image", "k-outside", "k-s3", "k-text",
                    "k-wrong-block"), dead.stream().filter(r -> r.getFieldRepetitionCount("key") > 0)
                            .map(r -> r.getString("key", 0)).sorted().toList(), "dead letters keep the valid keys");
            assertStreamJobWritten(output.resolve("stream"));
        }
    }

    /** The written rows' keys, the keyless one's id being its position on the input topic. */
    private static Map<String, String> expectedKeys(List<Group> predictions) {
        Map<String, String> expected = new TreeMap<>(WRITTEN);
        predictions.stream().map(r -> r.getString("row_id", 0)).filter(id -> id.startsWith(INPUT + "-"))
                .forEach(id -> expected.put(id, ""));
        assertEquals(WRITTEN.size() + KEYLESS, expected.size(), "one keyless row, named by its position");
        return expected;
    }

    private static Map<String, String> keysByRowId(List<Group> rows) {
        Map<String, String> keys = new TreeMap<>();
        for (Group row : rows) {
            String key = row.getFieldRepetitionCount("key") == 0 ? "" : row.getString("key", 0);
            assertEquals(null, keys.put(row.getString("row_id", 0), key), "row written twice");
        }
        return keys;
    }

    private static Map<String, Integer> deadLettersByKind(List<Group> dead) {
        Map<String, Integer> kinds = new HashMap<>();
        for (Group letter : dead) {
            String errorClass = letter.getString("error_class", 0);
            String kind = letter.getString("stage", 0) + " " + errorClass.substring(errorClass.lastIndexOf('.') + 1);
            assertTrue(!letter.getString("message", 0).isBlank(), kind + ": a reason");
            kinds.merge(kind, 1, Integer::sum);
        }
        return kinds;
    }

    /** The record sent without a job id is written under the default job, which stays open. */
    private static void assertStreamJobWritten(Path streamDir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> ids = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(streamDir)) {
                ids = PipelineOutput.rows(streamDir, "predictions").stream().map(r -> r.getString("row_id", 0)).toList();
                if (!ids.isEmpty()) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        assertEquals(List.of("k-stream"), ids);
        assertTrue(!Files.exists(streamDir.resolve("_SUCCESS")), "a continuous feed has no end");
    }

    private static void produce(String bootstrap, String jobId) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        byte[] png = Files.readAllBytes(SAMPLES.resolve("test-00000.png"));
        String refPath = SAMPLES.resolve("test-00004.png").toString();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        // Good: raw images (content type given, sniffed, a row id apart from the key, no key at all).
        records.add(record(jobId, "k-raw-1", png, "content-type", "image/png"));
        records.add(record(jobId, "k-raw-2", png));
        records.add(record(jobId, "k-raw-3", png, "content-type", "image/png", "kbi-row-id", "row-3"));
        records.add(record(jobId, null, png, "content-type", "image/png"));
        // Good: references, by file URI with an id, by absolute path without.
        records.add(record(jobId, "k-ref-1", json("{\"id\": \"ref-1\", \"uri\": \"" + Path.of(refPath).toUri() + "\"}"),
                "content-type", "application/json"));
        records.add(record(jobId, "k-ref-2", json("{\"path\": \"" + SAMPLES.resolve("test-00005.png") + "\"}")));
        // Good: an Arrow block of two rows, one keyed.
        try (BlockCodec codec = new BlockCodec()) {
            byte[] block = codec.encode(ImageRow.SCHEMA, List.of(
                    new ImageRow("arrow-1", "system-a/1", 1L, png, "k-arrow-1"),
                    new ImageRow("arrow-2", "system-a/2", 1L, png)));
            records.add(record(jobId, null, block, "content-type", BlockCodec.CONTENT_TYPE, "kbi-row-count", "2"));
            // Bad: a block of another schema.
            byte[] wrong = codec.encode(DeadLetterRow.SCHEMA, List.of(new DeadLetterRow("x", "x", "s", "c", "m", 1L,
                    null)));
            records.add(record(jobId, "k-wrong-block", wrong, "content-type", BlockCodec.CONTENT_TYPE));
        }
        // Bad, one of each kind.
        records.add(record(jobId, "k-text", json("hello"), "content-type", "text/plain"));
        records.add(record(jobId, "k-bad-json", json("{\"uri\": "), "content-type", "application/json"));
        records.add(record(jobId, "k-extra", json("{\"uri\": \"" + Path.of(refPath).toUri() + "\", \"size\": 1}")));
        records.add(record(jobId, "k-s3", json("{\"uri\": \"s3://bucket/image.png\"}")));
        records.add(record(jobId, "k-empty", new byte[0], "content-type", "image/png"));
        records.add(record(jobId, "bad\nkey", png, "content-type", "image/png"));
        records.add(record(jobId, "k-outside", json("{\"path\": \"" + ROOT.resolve("pom.xml") + "\"}")));
        records.add(record(jobId, "k-not-an-image", json("not an image at all"), "content-type", "image/jpeg"));
        // No job id: the default job, a continuous feed.
        records.add(record(null, "k-stream", png, "content-type", "image/png"));

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get();
            }
            long total = records.stream().filter(r -> r.headers().lastHeader("kbi-job-id") != null)
                    .mapToLong(r -> r.headers().lastHeader("kbi-row-count") == null ? 1 : 2).sum();
            producer.send(new ProducerRecord<>(Pipeline.defaults().topics().jobs(),
                    jobId.getBytes(StandardCharsets.UTF_8),
                    JobJson.write(new JobAnnouncement(jobId, INPUT, total, System.currentTimeMillis())))).get();
        }
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ProducerRecord<byte[], byte[]> record(String jobId, String key, byte[] value, String... headers) {
        RecordHeaders h = new RecordHeaders();
        if (jobId != null) {
            h.add("kbi-job-id", jobId.getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(INPUT, null, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, h);
    }
}
