package dev.kbi.writer.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;

/**
 * Waits until the app's topics exist. Topics are created by the deployment (auto-creation is off),
 * and Kafka Streams started without a source topic shuts down: waiting instead lets the writer start
 * before the topics and serve its Parquet output meanwhile.
 */
final class TopicWait implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicWait.class);
    private static final long RETRY_MS = 2_000;

    private final Admin admin;
    private final List<String> topics;
    private volatile boolean missing = true;

    TopicWait(Admin admin, List<String> topics) {
        this.admin = admin;
        this.topics = List.copyOf(topics);
    }

    /** Returns once every topic exists; logs what it waits for once. */
    void await() throws InterruptedException {
        boolean logged = false;
        while (true) {
            try {
                Map<String, ?> found = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
                if (found.keySet().containsAll(topics)) {
                    missing = false;
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                if (!logged) {
                    LOG.warnf("Job status waits for topics %s (%s): create them to track jobs", topics,
                            e.getCause() == null ? e : e.getCause().getMessage());
                    logged = true;
                }
            }
            Thread.sleep(RETRY_MS);
        }
    }

    /** Whether the topics have not been seen yet. */
    boolean missing() {
        return missing;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
