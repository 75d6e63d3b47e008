package dev.kbi.writer.status;

import java.util.function.Consumer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jboss.logging.Logger;

/**
 * The job-status Kafka Streams app: {@link JobStatusTopology} run with {@link JobStatusStreamsConfig},
 * started once its topics exist ({@link TopicWait}), queried through {@link #queries()}.
 */
public final class JobStatusApp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobStatusApp.class);

    private final KafkaStreams streams;
    private final TopicWait topicWait;
    private final Thread starter;
    private volatile Throwable failure;

    /** The app's input and output topics. */
    public record Topics(String events, String jobs, String status) {

        List<String> all() {
            return List.of(events, jobs, status);
        }
    }

    /**
     * @param streamsConfig from {@link JobStatusStreamsConfig#of}
     * @param admin to see whether the topics exist; closed with the app
     * @param onChange each new status of a job this instance aggregates (see {@link JobStatusTopology#build})
     */
    public JobStatusApp(Topics topics, Properties streamsConfig, Admin admin, Consumer<JobStatus> onChange) {
        this.streams = new KafkaStreams(JobStatusTopology.build(topics.events(), topics.jobs(), topics.status(),
                onChange), streamsConfig);
        this.topicWait = new TopicWait(admin, topics.all());
        this.starter = new Thread(this::startWhenTopicsExist, "kbi-job-status-start");
        streams.setUncaughtExceptionHandler(e -> {
            // A failure here is a bug or a lost broker: stop (readiness turns DOWN with the cause) rather than
            // loop on the same record.
            failure = e;
            LOG.errorf(e, "The job-status app stopped: GET /jobs no longer follows the jobs");
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** Starts in the background: returns at once, the app runs once its topics exist. */
    public void start() {
        starter.start();
    }

    private void startWhenTopicsExist() {
        try {
            topicWait.await();
            streams.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kafka Streams' state, or WAITING_FOR_TOPICS before it starts. */
    public String state() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.CREATED && topicWait.missing() ? "WAITING_FOR_TOPICS" : state.name();
    }

    /** False once the app has failed or stopped; true while it starts, waits, runs or rebalances. */
    public boolean healthy() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.CREATED || state.isRunningOrRebalancing();
    }

    /** The failure that stopped the app, if one did. */
    public Throwable failure() {
        return failure;
    }

    /** Tasks this instance runs as their active owner: how much of the aggregation is its share. */
    int activeTasks() {
        return streams.metadataForLocalThreads().stream().mapToInt(thread -> thread.activeTasks().size()).sum();
    }

    public JobStatusQueries queries() {
        return new JobStatusQueries(streams);
    }

    @Override
    public void close() throws InterruptedException {
        starter.interrupt();
        starter.join(10_000);
        streams.close(Duration.ofSeconds(10));
        topicWait.close();
    }
}
