package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, tried for real: one job over good samples mixed with a generated corpus of broken,
 * odd and forbidden files ({@link BadInputCorpus}), through the packaged services on a real broker.
 * Every good image is written once, every bad one is a dead letter with its own reason, and the
 * counts add up. Bad records on the internal topics ({@link InternalTopicRecords}) go in under a
 * second job first, so both jobs' counts are exact; then job ids that try to leave the output
 * directory ({@link TraversalRecords}), refused whole.
 */
class BadInputCorpusIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final String JOB = "bad-input-job";
    private static final String SIDE_JOB = "bad-internal-records";
    private static final Duration SIDE_JOB_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void everyGoodImageIsWrittenOnceAndEveryBadInputIsDeadLetteredWithItsReason(@TempDir Path temp)
            throws Exception {
        BadInputCorpus corpus = BadInputCorpus.write(temp.resolve("corpus"), SAMPLES, 30);
        Path output = temp.resolve("out");
        LaunchOptions options = new LaunchOptions(ROOT, corpus.manifest(), MODEL, temp.resolve("work"), output, JOB,
                2, Duration.ofMinutes(3), true, Map.of());
        List<ServiceProcess> readers = new ArrayList<>();
        TraversalRecords traversal = TraversalRecords.against(output, temp);
        JobSummary summary;
        try {
            summary = new LocalPipeline(options, System.out, (bootstrap, jobId) -> {
                InternalTopicRecords.produce(bootstrap, SIDE_JOB, SAMPLES);
                awaitManifest(output.resolve(SIDE_JOB), temp.resolve("work/logs"));
                traversal.produce(bootstrap, SAMPLES);
                traversal.awaitRefused();
                readers.add(runReader(bootstrap, corpus.manifest(), temp.resolve("work/logs")));
            }).run();
        } finally {
            for (ServiceProcess reader : readers) {
                reader.close();
            }
        }
        summary.print(System.out);

        List<BadInputCorpus.Line> lines = corpus.lines();
        long good = lines.stream().filter(BadInputCorpus.Line::written).count();
        assertEquals(lines.size(), summary.totalRows());
        assertEquals(good, summary.rowsWritten());
        assertEquals(lines.size() - good, summary.rowsDeadLettered());
        assertEquals(summary.totalRows(), summary.rowsWritten() + summary.rowsDeadLettered());
        assertGoodImagesWrittenOnce(lines, PipelineOutput.rows(summary.jobDir(), "predictions"));
        assertDeadLettersCarryTheirReasons(lines, PipelineOutput.rows(summary.jobDir(), "dead-letters"));
        assertStatsCountDeadLettersByReason(summary, PipelineOutput.rows(summary.jobDir(), "dead-letters"));
        assertInternalRecordsHandled(output.resolve(SIDE_JOB));
        traversal.assertContained(temp, List.of(JOB, SIDE_JOB));
    }

    /** Row ids follow manifest order ({@code <job>-<line index>}), so each row is matched to its line exactly. */
    private static String rowId(int line) {
        return String.format("%s-%08d", JOB, line);
    }

    private static void assertGoodImagesWrittenOnce(List<BadInputCorpus.Line> lines, List<Group> predictions) {
        Map<String, Long> written = predictions.stream()
                .collect(Collectors.groupingBy(r -> r.getString("row_id", 0), Collectors.counting()));
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).written()) {
                expected.put(rowId(i), 1L);
            }
        }
        assertEquals(expected, written, "every good or convertible image once, nothing else");
    }

    /** The job's stats count the dead letters per stage and error class exactly as the dead-letter files hold them. */
    private static void assertStatsCountDeadLettersByReason(JobSummary summary, List<Group> dead) throws IOException {
        Map<String, Long> inFiles = dead.stream().collect(Collectors.groupingBy(
                r -> r.getString("stage", 0) + " " + r.getString("error_class", 0), java.util.TreeMap::new,
                Collectors.counting()));
        Map<String, Long> inStats = new java.util.TreeMap<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.stats()).path("stages").fields()
                .forEachRemaining(stage -> stage.getValue().path("deadLettersByReason").fields().forEachRemaining(
                        reason -> inStats.put(stage.getKey() + " " + reason.getKey(), reason.getValue().asLong())));
        assertEquals(inFiles, inStats);
    }

    private static void assertDeadLettersCarryTheirReasons(List<BadInputCorpus.Line> lines, List<Group> dead) {
        Map<String, Group> byRowId = new HashMap<>();
        dead.forEach(r -> assertEquals(null, byRowId.put(r.getString("row_id", 0), r), "one dead letter per row"));
        for (int i = 0; i < lines.size(); i++) {
            BadInputCorpus.Line line = lines.get(i);
            Group letter = byRowId.remove(rowId(i));
            if (line.written()) {
                assertEquals(null, letter, line.name() + " was written, it must not be a dead letter too");
                continue;
            }
            assertTrue(letter != null, "no dead letter for " + line.name());
            String message = letter.getString("message", 0);
            assertEquals(line.stage(), letter.getString("stage", 0), line.name() + ": " + message);
            assertEquals(line.errorClass(), letter.getString("error_class", 0), line.name() + ": " + message);
            assertTrue(message.contains(line.messagePart()),
                    line.name() + ": message '" + message + "' lacks '" + line.messagePart() + "'");
        }
        assertTrue(byRowId.isEmpty(), "dead letters for no line of the job: " + byRowId.keySet());
    }

    private static void assertInternalRecordsHandled(Path sideJobDir) throws IOException {
        Map<String, String> deadByStage = PipelineOutput.rows(sideJobDir, "dead-letters").stream().collect(
                Collectors.toMap(r -> r.getString("stage", 0),
                        r -> r.getString("error_class", 0) + ": " + r.getString("message", 0)));
        assertEquals(List.of("inference", "preprocessor", "writer"), deadByStage.keySet().stream().sorted().toList());
        assertTrue(deadByStage.get("preprocessor").contains("Wrong block schema"), deadByStage.get("preprocessor"));
        assertTrue(deadByStage.get("inference").contains("Not a readable Arrow IPC stream"), deadByStage.get("inference"));
        assertTrue(deadByStage.get("writer").contains("Not a readable Arrow IPC stream"), deadByStage.get("writer"));
        deadByStage.values().forEach(v -> assertTrue(v.startsWith("dev.kbi.common.block.BlockFormatException"), v));
        // Not deduplicated: both rows of the shared id are predicted and written, each with its source.
        List<String> duplicates = PipelineOutput.rows(sideJobDir, "predictions").stream()
                .filter(r -> r.getString("row_id", 0).equals(InternalTopicRecords.DUPLICATE_ROW_ID))
                .map(r -> r.getString("source", 0)).sorted().toList();
        assertEquals(List.of("dup-a", "dup-b"), duplicates);
    }

    private static void awaitManifest(Path jobDir, Path logs) throws InterruptedException {
        long deadline = System.nanoTime() + SIDE_JOB_TIMEOUT.toNanos();
        while (!Files.exists(jobDir.resolve("_SUCCESS"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Job " + jobDir.getFileName() + " not complete after "
                        + SIDE_JOB_TIMEOUT + "; writer log ends with:\n"
                        + dev.kbi.localkafka.Processes.tail(logs.resolve("writer.log")));
            }
            Thread.sleep(200);
        }
    }

    /**
     * The reader service on the corpus, with limits small enough that the size kinds need no large
     * files; it runs as a batch job and exits once the job is announced.
     */
    private static ServiceProcess runReader(String bootstrap, Path manifest, Path logs) throws Exception {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "KBI_MAX_MESSAGE_BYTES", Integer.toString(BadInputCorpus.READER_MAX_MESSAGE_BYTES),
                "READER_MAX_FILE_BYTES", Integer.toString(BadInputCorpus.MAX_FILE_BYTES),
                "READER_INPUT", manifest.toString(), "READER_JOB_ID", JOB, "READER_EXIT_WHEN_DONE", "true");
        return ServiceProcess.start(ROOT, "reader", freePort(), env, List.of("-Xmx256m"), logs);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
