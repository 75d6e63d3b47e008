package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults, tried for real: one broker and the four packaged services, held open across jobs; each
 * test runs one job of its own and does one thing to it in the middle (a service killed with
 * SIGKILL and started again with the same configuration, the broker stopped and started again, one
 * of two inference instances killed for good). Every job must still complete with each input row in
 * its output exactly once. Mid-job is read from the stages' row counters, never from a sleep, and
 * each test checks that its fault did land before the writer had every row.
 *
 * <p>The services run from a copy of their packaged jars, so that a restart runs the same build.
 * Logs stay in {@code target/fault-tolerance-it/work/logs} (a restarted service writes
 * {@code <service>.restart-<n>.log}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final Path WORK = Path.of("target/fault-tolerance-it").toAbsolutePath();
    /** Rows per job: the bundled 300 images repeated, in small blocks, so a job outlasts a restart. */
    private static final int ROWS = 800;
    private static final int BLOCK_ROWS = 20;
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> STAGES = List.of("writer", "inference", "preprocessor");
    /**
     * The second inference instance's session and transaction timeouts: a SIGKILLed static member
     * keeps its partitions, and its open transaction holds back read_committed readers, until these
     * expire (Kafka's defaults: 45 s and 60 s), so they bound how long the takeover takes.
     */
    private static final List<String> SHORT_TIMEOUTS = List.of("-Dkafka.session.timeout.ms=10000",
            "-Dkafka.transaction.timeout.ms=10000");

    /** How long the broker stays down: longer than the 10 s the stages' Admin requests wait. */
    private static final Duration BROKER_DOWNTIME = Duration.ofSeconds(15);

    private RunningPipeline pipeline;
    private Path manifest;
    /** The instance id of the current job's reader (one reader per job, named after it). */
    private String reader;

    @BeforeAll
    void startPipeline() throws Exception {
        LocalPipeline.deleteRecursively(WORK);
        manifest = repeatedSamples(ROWS, WORK.resolve("input/manifest.jsonl"));
        // The manifest names the samples outside its own folder. A small in-flight budget (12 blocks of
        // 20 rows) keeps the reader behind the stages, so a fault lands while the job is still being read.
        Map<String, String> settings = Map.of("READER_BLOCK_ROWS", Integer.toString(BLOCK_ROWS),
                "READER_ALLOWED_ROOTS", SAMPLES.toString(), "READER_BACKPRESSURE_BLOCKS_PER_STAGE", "4");
        Path services = ServiceJarSnapshot.copy(ROOT, WORK.resolve("root"));
        LaunchOptions options = new LaunchOptions(services, manifest, MODEL, WORK.resolve("work"), WORK.resolve("out"),
                "unused", 4, JOB_TIMEOUT, true, settings);
        pipeline = RunningPipeline.start(options, System.out);
    }

    @AfterAll
    void stopPipeline() throws InterruptedException {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** A test that failed half-way leaves no stage down for the next one. */
    @BeforeEach
    void stagesRunning() throws Exception {
        for (String stage : STAGES) {
            if (!pipeline.isRunning("local-" + stage)) {
                pipeline.restart("local-" + stage);
            }
        }
    }

    @AfterEach
    void stopJobInstances() throws InterruptedException {
        if (reader != null) {
            pipeline.stop(reader);
        }
        pipeline.stop("local-inference-2");
    }

    @Test
    @Order(1)
    void preprocessorKilledAndRestarted() throws Exception {
        killAndRestartMidJob("preprocessor");
    }

    @Test
    @Order(2)
    void inferenceKilledAndRestarted() throws Exception {
        killAndRestartMidJob("inference");
    }

    @Test
    @Order(3)
    void writerKilledAndRestarted() throws Exception {
        killAndRestartMidJob("writer");
    }

    @Test
    @Order(4)
    void brokerStoppedAndRestarted() throws Exception {
        String job = "fault-broker-restart";
        Job run = startJob(job);
        pipeline.awaitRowsOut("local-writer", run.writerBase + ROWS / 5.0, JOB_TIMEOUT);
        double written = pipeline.rowsOut("local-writer") - run.writerBase;
        long stopped = System.nanoTime();
        pipeline.restartBroker(BROKER_DOWNTIME);
        log(job, "broker stopped at " + written + " of " + ROWS + " rows written, back after " + since(stopped));
        assertMidJob(job, written);
        finish(run, "broker stopped and restarted at " + written + " of " + ROWS + " rows written");
    }

    @Test
    @Order(5)
    void oneOfTwoInferenceInstancesKilled() throws Exception {
        String job = "fault-inference-takeover";
        pipeline.start("inference", "local-inference-2", Map.of(), SHORT_TIMEOUTS);
        Job run = startJob(job);
        // It has done work, so it held partitions with blocks of this job.
        pipeline.awaitRowsOut("local-inference-2", 2 * BLOCK_ROWS, JOB_TIMEOUT);
        pipeline.awaitRowsOut("local-writer", run.writerBase + ROWS / 5.0, JOB_TIMEOUT);
        assertFalse(assignment("local-inference-2").isEmpty(), "local-inference-2 holds no partition");
        double written = pipeline.rowsOut("local-writer") - run.writerBase;
        long killed = System.nanoTime();
        pipeline.kill("local-inference-2");
        log(job, "local-inference-2 killed at " + written + " of " + ROWS + " rows written; not restarted");
        assertMidJob(job, written);
        finish(run, "local-inference-2 killed at " + written + " of " + ROWS + " rows written");
        log(job, "completed " + since(killed) + " after the kill");
        assertTrue(assignment("local-inference-2").isEmpty(), "the killed instance still holds partitions");
        assertEquals(Set.of(0, 1, 2, 3), assignment("local-inference"), "the survivor holds every partition");
    }

    /** The reader resumes its job after the files its committed job events count (same job id). */
    @Test
    @Order(6)
    void readerKilledAndRestarted() throws Exception {
        String job = "fault-reader";
        Job run = startJob(job);
        pipeline.awaitRowsOut(reader, ROWS / 3.0, JOB_TIMEOUT);
        double read = pipeline.rowsOut(reader);
        double written = pipeline.rowsOut("local-writer") - run.writerBase;
        pipeline.kill(reader);
        long restarted = System.nanoTime();
        pipeline.restart(reader);
        log(job, "reader killed at " + read + " rows read, " + written + " written; ready again after "
                + since(restarted));
        assertTrue(read < ROWS, job + ": the reader had read all " + ROWS + " rows before it was killed");
        assertMidJob(job, written);
        finish(run, "reader killed at " + read + " of " + ROWS + " rows read and restarted");
    }

    private void killAndRestartMidJob(String stage) throws Exception {
        String job = "fault-" + stage;
        String instance = "local-" + stage;
        Job run = startJob(job);
        double base = stage.equals("writer") ? run.writerBase : pipeline.rowsOut(instance);
        pipeline.awaitRowsOut(instance, base + ROWS / 4.0, JOB_TIMEOUT);
        double done = pipeline.rowsOut(instance) - base;
        double written = pipeline.rowsOut("local-writer") - run.writerBase;
        pipeline.kill(instance);
        long restarted = System.nanoTime();
        pipeline.restart(instance);
        log(job, stage + " killed at " + done + " of its rows, " + written + " written; ready again after "
                + since(restarted));
        assertMidJob(job, written);
        finish(run, stage + " killed (SIGKILL) at " + done + " of " + ROWS + " rows and restarted");
    }

    private record Job(String id, double writerBase, long startNanos) {
    }

    /** Starts the reader on the manifest under job id {@code job}; the writer's count so far is the base. */
    private Job startJob(String job) throws Exception {
        double writerBase = pipeline.rowsOut("local-writer");
        long start = System.nanoTime();
        reader = "local-reader-" + job;
        pipeline.start("reader", reader, Map.of("READER_JOB_ID", job, "READER_INPUT", manifest.toString()), List.of());
        return new Job(job, writerBase, start);
    }

    private void finish(Job run, String fault) throws Exception {
        Path jobDir = pipeline.awaitSuccess(run.id(), JOB_TIMEOUT);
        log(run.id(), "_SUCCESS " + since(run.startNanos()) + " after the reader's start");
        pipeline.awaitDrained(JOB_TIMEOUT);
        JobOutputCheck.assertEveryRowExactlyOnce(jobDir, run.id(), ROWS, fault);
        // The results topic is written in the same transactions: each row once there too.
        ResultsTopic.assertSameAsPredictions(ResultsTopic.of(pipeline.bootstrapServers(), run.id()),
                PipelineOutput.rows(jobDir, "predictions"), fault);
    }

    /** The fault must land before the writer has every row, or the test would prove nothing. */
    private static void assertMidJob(String job, double written) {
        assertTrue(written < ROWS, job + ": the fault came after the writer had all " + ROWS + " rows");
    }

    /** Partitions of the inference input assigned to the members of instance {@code instanceId}. */
    private Set<Integer> assignment(String instanceId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.bootstrapServers()))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("kbi-inference"))
                    .describedGroups().get("kbi-inference").get();
            Set<Integer> partitions = new TreeSet<>();
            for (MemberDescription member : group.members()) {
                // Static member ids are <instance id>-<worker>: local-inference-0 is not local-inference-2's.
                if (member.groupInstanceId().orElse("").matches(java.util.regex.Pattern.quote(instanceId) + "-\\d+")) {
                    member.assignment().topicPartitions().forEach(tp -> partitions.add(tp.partition()));
                }
            }
            return partitions;
        }
    }

    private static Path repeatedSamples(int rows, Path file) throws IOException {
        List<Path> images;
        try (Stream<Path> list = Files.list(SAMPLES)) {
            images = list.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        Files.createDirectories(file.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < rows; i++) {
                out.write("{\"path\": \"" + images.get(i % images.size()) + "\"}\n");
            }
        }
        return file;
    }

    private static String since(long nanos) {
        return String.format("%.1f s", (System.nanoTime() - nanos) / 1e9);
    }

    private static void log(String job, String message) {
        System.out.println("[" + job + "] " + message);
    }
}
