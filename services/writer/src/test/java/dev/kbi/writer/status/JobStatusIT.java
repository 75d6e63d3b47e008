package dev.kbi.writer.status;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.job.StageEvent;
import dev.kbi.common.runtime.KafkaClients;
import dev.kbi.localkafka.KafkaBroker;
import dev.kbi.localkafka.KafkaBrokerExtension;
import dev.kbi.localkafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job-status app on a real broker, started before its topics exist: stage events sent in
 * transactions (one aborted) and an announcement give a SUCCEEDED status on the job-status topic
 * and in the store, counting the committed events only. Two instances of the app (two writers)
 * split the aggregation, and each answers for every job.
 */
@ExtendWith(KafkaBrokerExtension.class)
class JobStatusIT {

    /** The in-process broker logs ~1000 INFO lines per run (through JBoss LogManager); held so the levels stay. */
    private static final List<java.util.logging.Logger> QUIET = List.of("kafka", "state.change.logger",
            "org.apache.kafka").stream().map(LogContext.getLogContext()::getLogger)
            .map(java.util.logging.Logger.class::cast).toList();

    @BeforeAll
    static void quietBrokerLogs() {
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
    }

    @Test
    void aggregatesCommittedStageEventsIntoTheStatusTopicAndStore(KafkaBroker broker, @TempDir Path stateDir)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        JobStatusApp.Topics topics = topics(run);
        Map<String, String> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        String job = "job-" + run;
        try (JobStatusApp app = app(kafka, topics, run, stateDir);
                Admin admin = KafkaClients.admin(kafka, "js-test-" + run)) {
            app.start();
            assertEquals("WAITING_FOR_TOPICS", app.state());
            createTopics(admin, topics);

            try (KafkaProducer<byte[], byte[]> stages = KafkaClients.producer(kafka, "js-stages", 1 << 20,
                    "js-stages-" + run)) {
                stages.initTransactions();
                inTransaction(stages, topics.events(), true, new StageEvent(job, "reader", 5, 5, 0, List.of(), 10, 20),
                        new StageEvent(job, "preprocessor", 5, 4, 1, List.of(job + "-2: CORRUPT: bad"), 15, 30));
                // A worker that crashed mid-batch: its transaction is aborted, its event must not count.
                inTransaction(stages, topics.events(), false, new StageEvent(job, "writer", 4, 4, 0, List.of(), 35, 38));
                inTransaction(stages, topics.events(), true, new StageEvent(job, "inference", 4, 4, 0, List.of(), 20, 40),
                        new StageEvent(job, "writer", 4, 4, 0, List.of(), 35, 50));
            }
            try (KafkaProducer<byte[], byte[]> reader = KafkaClients.producer(kafka, "js-reader", 1 << 20)) {
                reader.send(record(topics.jobs(), job, new JobAnnouncement(job, "/in", 5, 25))).get();
            }

            JobStatus published = awaitStatusOnTopic(kafka, topics.status(), job);
            assertEquals(JobState.SUCCEEDED, published.state(), published.message());
            assertEquals(4, published.rowsWritten());
            assertEquals(1, published.rowsDeadLettered());
            assertEquals(1, published.stages().get("writer").events(), "the aborted event is not counted");
            assertEquals(40L, published.durationMillis());
            System.out.println("Job status JSON: " + new String(JobJson.write(published), StandardCharsets.UTF_8));

            JobStatus queried = await().atMost(Duration.ofSeconds(30)).ignoreException(InvalidStateStoreException.class)
                    .until(() -> app.queries().find(job).orElse(null), s -> s != null);
            assertEquals(published, queried);
            assertEquals(List.of(published), app.queries().list(10));
            assertEquals("RUNNING", app.state());
        }
    }

    @Test
    void everyInstanceAnswersForEveryJobWhileTheyShareTheAggregation(KafkaBroker broker, @TempDir Path stateDir)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        JobStatusApp.Topics topics = topics(run);
        Map<String, String> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        List<String> jobs = java.util.stream.IntStream.range(0, 8).mapToObj(i -> "job-" + i + "-" + run).toList();
        try (Admin admin = KafkaClients.admin(kafka, "js-test-" + run)) {
            createTopics(admin, topics);
        }
        try (JobStatusApp first = app(kafka, topics, run, stateDir.resolve("a"));
                JobStatusApp second = app(kafka, topics, run, stateDir.resolve("b"))) {
            first.start();
            second.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> first.activeTasks() > 0 && second.activeTasks() > 0
                    && "RUNNING".equals(first.state()) && "RUNNING".equals(second.state()));

            try (KafkaProducer<byte[], byte[]> stages = KafkaClients.producer(kafka, "js-stages", 1 << 20,
                    "js-stages-" + run)) {
                stages.initTransactions();
                for (String job : jobs) {
                    inTransaction(stages, topics.events(), true, new StageEvent(job, "reader", 3, 3, 0, List.of(), 10, 20),
                            new StageEvent(job, "writer", 3, 3, 0, List.of(), 30, 40));
                }
            }
            try (KafkaProducer<byte[], byte[]> reader = KafkaClients.producer(kafka, "js-reader", 1 << 20)) {
                for (String job : jobs) {
                    reader.send(record(topics.jobs(), job, new JobAnnouncement(job, "/in", 3, 5))).get();
                }
            }

            for (JobStatusApp app : List.of(first, second)) {
                List<JobStatus> listed = await().atMost(Duration.ofSeconds(60))
                        .ignoreException(InvalidStateStoreException.class)
                        .until(() -> app.queries().list(100), all -> all.size() == jobs.size()
                                && all.stream().allMatch(job -> job.state() == JobState.SUCCEEDED));
                assertEquals(java.util.Set.copyOf(jobs), listed.stream().map(JobStatus::jobId)
                        .collect(java.util.stream.Collectors.toSet()));
                for (String job : jobs) {
                    assertEquals(3, app.queries().find(job).orElseThrow().rowsWritten(), job);
                }
            }
            assertEquals(8, first.activeTasks() + second.activeTasks(),
                    "the two instances share the 8 tasks (4 partitions, 2 sub-topologies)");
        }
    }

    private static JobStatusApp app(Map<String, String> kafka, JobStatusApp.Topics topics, String run, Path stateDir) {
        return new JobStatusApp(topics, JobStatusStreamsConfig.of(kafka, "js-" + run, stateDir),
                KafkaClients.admin(kafka, "js-topics-" + run + "-" + stateDir.getFileName()), status -> { });
    }

    private static JobStatusApp.Topics topics(String run) {
        return new JobStatusApp.Topics("js-events-" + run, "js-jobs-" + run, "js-status-" + run);
    }

    /** Events on 4 partitions (the stages' topic), jobs and statuses compacted on 1. */
    private static void createTopics(Admin admin, JobStatusApp.Topics topics) throws Exception {
        Topics.ensureTopics(admin, List.of(new NewTopic(topics.events(), 4, (short) 1),
                compacted(topics.jobs()), compacted(topics.status())));
    }

    private static NewTopic compacted(String name) {
        return new NewTopic(name, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"));
    }

    private static void inTransaction(KafkaProducer<byte[], byte[]> producer, String topic, boolean commit,
            StageEvent... events) {
        producer.beginTransaction();
        for (StageEvent event : events) {
            producer.send(record(topic, event.jobId(), event));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, Object value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), JobJson.write(value));
    }

    /** The job's latest status on the topic once it is terminal, read as any client would (read_committed). */
    private static JobStatus awaitStatusOnTopic(Map<String, String> kafka, String topic, String job) {
        Map<String, JobStatus> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.unassignedConsumer(kafka, "js-status-reader")) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(
                        new String(r.key(), StandardCharsets.UTF_8), JobJson.read(r.value(), JobStatus.class)));
                return latest.get(job);
            }, status -> status != null && status.state().terminal());
        }
    }
}
