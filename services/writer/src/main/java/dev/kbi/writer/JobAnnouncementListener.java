package dev.kbi.writer;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.runtime.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads every job announcement, from the beginning of the jobs topic, into the {@link JobLedger}.
 * Uses partition assignment, not a group: every writer instance needs every announcement.
 */
final class JobAnnouncementListener implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobAnnouncementListener.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final JobLedger ledger;
    private final Thread thread;
    private volatile boolean running = true;

    JobAnnouncementListener(Map<String, String> kafka, String topic, JobLedger ledger) {
        this.consumer = KafkaClients.unassignedConsumer(kafka, "kbi-writer-jobs");
        this.topic = topic;
        this.ledger = ledger;
        this.thread = new Thread(this, "kbi-writer-jobs");
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    accept(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "Job announcements can no longer be read from %s: jobs will not be marked complete", topic);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The topic's partitions, once it exists: the writer may start before the topics are created. */
    private List<TopicPartition> awaitPartitions() {
        boolean logged = false;
        while (running) {
            List<TopicPartition> partitions = List.of();
            try {
                partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // not there yet
            }
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (!logged) {
                LOG.warnf("Waiting for the jobs topic %s to exist", topic);
                logged = true;
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        throw new WakeupException();
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        try {
            ledger.announced(JobJson.read(record.value(), JobAnnouncement.class));
        } catch (IllegalArgumentException e) {
            LOG.warnf("Skipping an unreadable record at %s-%d@%d of the jobs topic: %s", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
