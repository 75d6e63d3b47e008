package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.job.JobIds;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.runtime.KafkaClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.parquet.example.data.Group;
import org.awaitility.Awaitility;

/**
 * Job ids that try to leave the writer's output directory, produced by a plain Kafka producer as
 * any client could: in the {@code kbi-job-id} header of a record on each data topic, and as the job
 * of an announcement on the jobs topic (of zero rows, so it would complete, and write its manifest,
 * at once). Every record must end as a dead letter of job {@link JobIds#UNKNOWN} that says why, and
 * nothing may appear anywhere but under the output directory's valid job folders.
 */
final class TraversalRecords {

    /** Data topics and the stage that reads (and refuses) each: the writer reads two. */
    private static final Map<String, String> STAGE_OF_TOPIC = Map.of("kbi.images", "preprocessor",
            "kbi.tensors", "inference", "kbi.predictions", "writer", "kbi.dead-letters", "writer");

    private final Path output;
    private final List<String> jobIds;

    private TraversalRecords(Path output, List<String> jobIds) {
        this.output = output;
        this.jobIds = jobIds;
    }

    /** The attempts against {@code output}: relative, absolute (inside {@code scratch}), encoded, long, NUL, look-alikes. */
    static TraversalRecords against(Path output, Path scratch) {
        return new TraversalRecords(output, List.of(
                "../../../../escape-relative",
                "..",
                scratch.resolve("escape-absolute").toAbsolutePath().toString(),
                "..%2F..%2Fescape-encoded",
                "..\\..\\escape-backslash",
                "x".repeat(5_000),
                "nul\u0000escape",
                "new\nline",
                "\uFF0E\uFF0E\u2215escape-lookalike", // fullwidth full stops and a division slash
                "\u2024\u2024/escape-one-dot-leader"));
    }

    /** Sends every attempt to every data topic and one announcement per attempt. */
    void produce(String bootstrap, Path samples) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(Map.of("bootstrap.servers", bootstrap),
                "traversal-it", LocalPipeline.MAX_MESSAGE_BYTES); BlockCodec codec = new BlockCodec()) {
            byte[] image = codec.encode(ImageRow.SCHEMA, List.of(new ImageRow("traversal-row", "traversal", 0,
                    Files.readAllBytes(samples.resolve("test-00001.png")))));
            byte[] deadLetter = codec.encode(DeadLetterRow.SCHEMA, List.of(new DeadLetterRow("traversal-row",
                    "traversal", "preprocessor", "x", "a dead letter of a bad job id", 0, null)));
            for (String jobId : jobIds) {
                for (String topic : STAGE_OF_TOPIC.keySet()) {
                    byte[] value = topic.equals("kbi.dead-letters") ? deadLetter : image;
                    producer.send(new ProducerRecord<byte[], byte[]>(topic, null, null, value, headers(jobId))).get();
                }
                byte[] announcement = ("{\"jobId\":\"" + jsonEscape(jobId) + "\",\"input\":\"x\",\"totalRows\":0,"
                        + "\"announcedAtMillis\":1}").getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(dev.kbi.common.pipeline.Pipeline.defaults().topics().jobs(), jobId.getBytes(StandardCharsets.UTF_8),
                        announcement)).get();
            }
        }
    }

    /**
     * Waits (bounded) until every record is a dead letter of {@code unknown} naming the invalid job
     * id, each stage refusing its share.
     */
    void awaitRefused() {
        Path unknown = output.resolve(JobIds.UNKNOWN);
        Map<String, Long> expectedByStage = new TreeMap<>();
        STAGE_OF_TOPIC.values().forEach(stage -> expectedByStage.merge(stage, (long) jobIds.size(), Long::sum));
        Awaitility.await("every traversal attempt dead-lettered under " + unknown).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> refusedByStage(unknown).equals(expectedByStage));
    }

    /** Nothing was written outside {@code output}'s folders of {@code expectedJobs} and {@code unknown}. */
    void assertContained(Path scratch, List<String> expectedJobs) throws IOException {
        for (String jobId : jobIds) {
            assertNothingAt(output, jobId);
        }
        assertFalse(Files.exists(scratch.resolve("escape-absolute")), "absolute job id written to");
        List<String> folders = new ArrayList<>(expectedJobs);
        folders.add(JobIds.UNKNOWN);
        try (Stream<Path> children = Files.list(output)) {
            assertEquals(folders.stream().sorted().toList(),
                    children.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList(),
                    "the output directory holds only the valid jobs' folders");
        }
        try (Stream<Path> files = Files.walk(scratch)) {
            List<Path> strays = files.filter(TraversalRecords::isOutputFile)
                    .filter(f -> !folders.contains(output.relativize(f.getParent()).toString())).toList();
            assertEquals(List.of(), strays, "output files outside the jobs' folders");
        }
    }

    /** Dead letters of {@code unknown} refusing an invalid job id, counted by stage. */
    private static Map<String, Long> refusedByStage(Path unknown) throws IOException {
        if (!Files.isDirectory(unknown)) {
            return Map.of();
        }
        List<Group> rows;
        try {
            rows = PipelineOutput.rows(unknown, "dead-letters");
        } catch (IOException e) {
            return Map.of(); // a file renamed away between listing and reading: read again
        }
        for (Group row : rows) {
            assertTrue(row.getString("message", 0).contains("Invalid job id"), row.getString("message", 0));
            assertTrue(row.getString("row_id", 0).startsWith("block:"), row.getString("row_id", 0));
        }
        return rows.stream().collect(Collectors.groupingBy(r -> r.getString("stage", 0), TreeMap::new,
                Collectors.counting()));
    }

    /**
     * Nothing at the path the job id would resolve to from {@code base}; when that is {@code base}
     * itself or one of its parents ({@code ..}), no output file in it.
     */
    private static void assertNothingAt(Path base, String jobId) throws IOException {
        Path target;
        try {
            target = base.resolve(jobId).normalize();
        } catch (InvalidPathException e) {
            return; // not a path on this file system at all (NUL): nothing can have been written there
        }
        if (!base.normalize().startsWith(target)) {
            assertFalse(Files.exists(target), "written outside " + base + ": " + target);
            return;
        }
        try (Stream<Path> files = Files.list(target)) {
            assertEquals(List.of(), files.filter(TraversalRecords::isOutputFile).toList(), "output files in " + target);
        }
    }

    private static boolean isOutputFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("predictions-") || name.startsWith("dead-letters-") || name.startsWith("_SUCCESS")
                || name.startsWith("_FAILED");
    }

    private static Headers headers(String jobId) {
        Headers headers = new RecordHeaders();
        headers.add(BlockHeaders.JOB_ID, jobId.getBytes(StandardCharsets.UTF_8));
        headers.add(BlockHeaders.ROW_COUNT, "1".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static String jsonEscape(String value) {
        StringBuilder escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            escaped.append(c < 0x20 || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return escaped.toString();
    }
}
