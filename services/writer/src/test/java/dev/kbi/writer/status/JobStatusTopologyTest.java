package dev.kbi.writer.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobAnnouncement.ErrorLimit;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.job.LatencyHistogram;
import dev.kbi.common.job.StageEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job-status topology on Kafka Streams' test driver: states, counts, limits and messages. */
class JobStatusTopologyTest {

    private static final String JOB = "job-1";

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> jobs;
    private TestOutputTopic<String, JobStatus> status;
    private final Map<String, JobStatus> published = new HashMap<>();
    /** What the topology handed to its listener, in order. */
    private final java.util.List<JobStatus> changes = new java.util.ArrayList<>();

    @BeforeEach
    void startDriver() {
        driver = new TopologyTestDriver(JobStatusTopology.build("events", "jobs", "status", changes::add),
                JobStatusStreamsConfig.of(Map.of("bootstrap.servers", "unused:9092"), "test", stateDir));
        events = driver.createInputTopic("events", new StringSerializer(), new ByteArraySerializer());
        jobs = driver.createInputTopic("jobs", new StringSerializer(), new ByteArraySerializer());
        status = driver.createOutputTopic("status", new StringDeserializer(), JobSerdes.STATUS.deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void runningUntilEveryAnnouncedRowIsWrittenOrDeadLettered() {
        event("reader", 10, 10, 0, 1_000, 1_100);
        event("preprocessor", 10, 9, 1, 1_050, 1_200, "job-1-3: CORRUPT: bad jpeg");
        event("writer", 5, 5, 0, 1_300, 1_400);
        assertEquals(JobState.RUNNING, latest().state());
        assertNull(latest().totalRows(), "not announced yet");

        announce(10, ErrorLimit.UNLIMITED, 1_150);
        JobStatus running = latest();
        assertEquals(JobState.RUNNING, running.state());
        assertEquals(10L, running.totalRows());
        assertNull(running.finishedAtMillis());

        event("inference", 9, 9, 0, 1_250, 1_500);
        event("writer", 4, 4, 0, 1_450, 1_600);
        JobStatus done = latest();
        assertEquals(JobState.SUCCEEDED, done.state());
        assertEquals(9, done.rowsWritten());
        assertEquals(1, done.rowsDeadLettered());
        assertEquals(List.of("reader", "preprocessor", "writer", "inference"), List.copyOf(done.stages().keySet()));
        assertCounts(done.stages().get("writer"), 9, 9, 0, 1_300, 1_600, 2);
        assertEquals(1_000L, done.startedAtMillis());
        assertEquals(1_600L, done.finishedAtMillis());
        assertEquals(600L, done.durationMillis());
        assertEquals("1 of 10 rows dead-lettered, within max-errored-rows unlimited. First errors: "
                + "preprocessor: job-1-3: CORRUPT: bad jpeg", done.message());
    }

    @Test
    void eventsBeforeTheAnnouncementCompleteTheJobWhenItArrives() {
        event("reader", 3, 3, 0, 100, 110);
        event("writer", 3, 3, 0, 200, 210);
        assertEquals(JobState.RUNNING, latest().state());

        announce(3, new ErrorLimit(0, -1), 150);
        JobStatus done = latest();
        assertEquals(JobState.SUCCEEDED, done.state());
        assertNull(done.message());
        assertEquals(210L, done.finishedAtMillis(), "the latest time the inputs tell of");
    }

    @Test
    void failsAsSoonAsTheDeadLettersExceedTheRowLimitNamingTheFirstErrors() {
        announce(100, new ErrorLimit(2, -1), 50);
        event("preprocessor", 10, 8, 2, 100, 200, "job-1-1: CORRUPT: a", "job-1-2: EMPTY: b");
        assertEquals(JobState.RUNNING, latest().state(), "2 dead letters are within a limit of 2");

        event("inference", 8, 7, 1, 150, 300, "job-1-5: java.lang.IllegalStateException: c");
        JobStatus failed = latest();
        assertEquals(JobState.FAILED, failed.state());
        assertEquals("Too many errors: 3 of 100 rows dead-lettered, over max-errored-rows 2 rows. First errors: "
                + "preprocessor: job-1-1: CORRUPT: a; preprocessor: job-1-2: EMPTY: b; "
                + "inference: job-1-5: java.lang.IllegalStateException: c", failed.message());
        assertEquals(300L, failed.finishedAtMillis());

        event("writer", 7, 7, 0, 250, 900);
        assertEquals(300L, latest().finishedAtMillis(), "a failed job's finish stays put while its rows drain");
        assertEquals(JobState.FAILED, latest().state());
    }

    @Test
    void failsOverTheFractionLimitAndSucceedsWithinIt() {
        announce(20, new ErrorLimit(-1, 0.1), 50);
        event("preprocessor", 20, 18, 2, 100, 200, "job-1-1: CORRUPT: a");
        event("writer", 18, 18, 0, 300, 400);
        assertEquals(JobState.SUCCEEDED, latest().state(), "2 of 20 is not over 10%");
        assertTrue(latest().message().contains("within max-errored-rows 10% of the rows"), latest().message());

        jobs.pipeInput("job-2", JobJson.write(new JobAnnouncement("job-2", "/in", 20, 50, new ErrorLimit(-1, 0.1))));
        events.pipeInput("job-2", JobJson.write(new StageEvent("job-2", "reader", 20, 17, 3,
                List.of("job-2-9: dev.kbi.reader.FileTooLarge: 60 MB"), 100, 200)));
        JobStatus failed = latest("job-2");
        assertEquals(JobState.FAILED, failed.state());
        assertEquals("Too many errors: 3 of 20 rows dead-lettered, over max-errored-rows 10% of the rows. "
                + "First errors: reader: job-2-9: dev.kbi.reader.FileTooLarge: 60 MB", failed.message());
    }

    @Test
    void aCancelledJobIsCancelledOnceTheRowsReadBeforeAreThrough() {
        jobs.pipeInput("job-c", JobJson.write(new JobAnnouncement("job-c", "/in", 6, 50, ErrorLimit.UNLIMITED,
                JobAnnouncement.SkippedFiles.NONE, true)));
        events.pipeInput("job-c", JobJson.write(new StageEvent("job-c", "writer", 6, 4, 0, List.of(), 100, 200)));
        JobStatus draining = latest("job-c");
        assertEquals(JobState.RUNNING, draining.state());
        assertEquals("Cancelled: draining the 6 rows read before", draining.message());
        events.pipeInput("job-c", JobJson.write(new StageEvent("job-c", "writer", 2, 1, 1, List.of("x: y"), 300, 400)));
        JobStatus cancelled = latest("job-c");
        assertEquals(JobState.CANCELLED, cancelled.state());
        assertEquals("Cancelled after 6 rows were read: 5 written, 1 dead-lettered", cancelled.message());
    }

    @Test
    void countsBeyondTheTotalAreAnInconsistency() {
        announce(10, ErrorLimit.UNLIMITED, 50);
        event("preprocessor", 10, 8, 2, 100, 200);
        event("writer", 9, 9, 0, 300, 400);
        JobStatus failed = latest();
        assertEquals(JobState.FAILED, failed.state());
        assertEquals("Inconsistent counts: 9 rows written + 2 dead-lettered = 11, more than the 10 rows announced "
                + "(rows counted twice, or a wrong total)", failed.message());
    }

    @Test
    void keepsTheFirstFiveErrorsInArrivalOrderAndSkipsUnreadableRecords() {
        events.pipeInput(JOB, "not json".getBytes(StandardCharsets.UTF_8));
        event("preprocessor", 3, 0, 3, 100, 200, "e1", "e2", "e3");
        event("inference", 0, 0, 0, 150, 250);
        event("preprocessor", 3, 0, 3, 300, 400, "e4", "e5", "e6");
        JobStatus running = latest();
        assertEquals(List.of("preprocessor: e1", "preprocessor: e2", "preprocessor: e3", "preprocessor: e4",
                "preprocessor: e5"), running.firstErrors());
        assertCounts(running.stages().get("preprocessor"), 6, 0, 6, 100, 400, 2);
        assertEquals(JobTally.MAX_ERRORS, running.firstErrors().size());
    }

    @Test
    void theListenerSeesEveryStatusBeforeItIsPublished() {
        event("reader", 4, 4, 0, 100, 110);
        announce(4, ErrorLimit.UNLIMITED, 120);
        event("writer", 4, 4, 0, 130, 140);
        List<JobStatus> out = status.readValuesToList();
        assertEquals(out, changes, "one call per published status, same values, same order");
        assertEquals(JobState.SUCCEEDED, changes.get(changes.size() - 1).state());
    }

    @Test
    void recordsKeyedByAnInvalidOrAnotherJobsIdAreLeftOut() {
        jobs.pipeInput("../../x", "{\"jobId\":\"../../x\",\"totalRows\":0}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jobs.pipeInput("other-job", JobJson.write(new JobAnnouncement(JOB, "/in", 0, 1)));
        events.pipeInput("../x", JobJson.write(new StageEvent(JOB, "writer", 1, 1, 0, List.of(), 1, 2)));
        assertTrue(status.isEmpty(), "nothing published");
        assertTrue(changes.isEmpty());
    }

    @Test
    void statsSumEveryWorkersEventsAndNameTheStageBusiestForItsTime() {
        LatencyHistogram fast = LatencyHistogram.EMPTY.with(5_000_000).with(5_000_000);
        LatencyHistogram slow = LatencyHistogram.EMPTY.with(800_000_000);
        timedEvent("preprocessor", "a/preprocessor-0", 100, 1_000, 3_000, 500_000_000L, fast, Map.of());
        timedEvent("preprocessor", "b/preprocessor-0", 100, 1_000, 3_000, 500_000_000L, fast,
                Map.of("dev.kbi.preprocessor.CorruptImage", 2L));
        timedEvent("inference", "a/inference-0", 98, 1_500, 3_500, 1_800_000_000L, slow, Map.of());
        announce(200, ErrorLimit.UNLIMITED, 1_100);

        JobStats stats = JobStats.of(latest());
        JobStats.Stage pre = stats.stages().get("preprocessor");
        assertEquals(2, pre.workers());
        assertEquals(1.0, pre.busySeconds(), 1e-9);
        assertEquals(3.0, pre.waitingSeconds(), 1e-9, "2 workers x 2 s, 1 s of it busy");
        assertEquals(0.25, pre.busyShare(), 1e-9);
        assertEquals(2, pre.blocks());
        assertEquals(2_000, pre.bytesIn());
        assertEquals(Map.of("dev.kbi.preprocessor.CorruptImage", 2L), pre.deadLettersByReason());
        assertEquals(5.0, pre.batchLatencyMillis().get("p50"), 0.5);
        JobStats.Stage inference = stats.stages().get("inference");
        assertEquals(0.9, inference.busyShare(), 1e-9);
        assertEquals(800.0, inference.batchLatencyMillis().get("p99"), 80.0);
        assertEquals(98 / 2.0, inference.rowsPerSecond(), 1e-9);
        assertEquals("inference", stats.bottleneck().stage());
        assertTrue(stats.bottleneck().suggestion().contains("inference.batch-size"), stats.bottleneck().suggestion());
        assertEquals(2.5, stats.wallSeconds(), 1e-9);
    }

    @Test
    void whenEveryStageMostlyWaitsTheInputIsNamed() {
        timedEvent("inference", "a/inference-0", 10, 0, 10_000, 1_000_000_000L, LatencyHistogram.EMPTY, Map.of());
        JobStats stats = JobStats.of(latest());
        assertEquals("inference", stats.bottleneck().stage());
        assertTrue(stats.bottleneck().suggestion().startsWith("Every stage waits"), stats.bottleneck().suggestion());
    }

    private void timedEvent(String stage, String worker, long rows, long first, long last, long busyNanos,
            LatencyHistogram latency, Map<String, Long> deadByReason) {
        long dead = deadByReason.values().stream().mapToLong(Long::longValue).sum();
        events.pipeInput(JOB, JobJson.write(new StageEvent(JOB, stage, rows, rows - dead, dead, List.of(), first,
                last, worker, 1, 1_000, busyNanos, latency, deadByReason)));
    }

    private void event(String stage, long in, long out, long dead, long first, long last, String... errors) {
        events.pipeInput(JOB, JobJson.write(new StageEvent(JOB, stage, in, out, dead, List.of(errors), first, last)));
    }

    private void announce(long total, ErrorLimit limit, long at) {
        jobs.pipeInput(JOB, JobJson.write(new JobAnnouncement(JOB, "/data/images", total, at, limit)));
    }

    private JobStatus latest() {
        return latest(JOB);
    }

    /** The job's latest status on the output topic (read records are kept: the topic is compacted). */
    private JobStatus latest(String job) {
        published.putAll(status.readKeyValuesToMap());
        return published.get(job);
    }

    private static void assertCounts(StageCounts counts, long in, long out, long dead, long first, long last,
            long events) {
        assertEquals(List.of(in, out, dead, first, last, events), List.of(counts.rowsIn(), counts.rowsOut(),
                counts.rowsDeadLettered(), counts.firstAtMillis(), counts.lastAtMillis(), counts.events()));
    }
}
