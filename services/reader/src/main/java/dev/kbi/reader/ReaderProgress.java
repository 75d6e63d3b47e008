package dev.kbi.reader;

import dev.kbi.common.job.JobJson;
import dev.kbi.common.job.StageEvent;
import dev.kbi.common.runtime.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;

/**
 * How far earlier runs of a job got: the files counted by the reader's committed job events. Each
 * event was committed in the same transaction as its block, and blocks take files in listing
 * order, so a restarted reader resumes at exactly this index.
 *
 * <p>Job events are keyed by job id, so all of a job's events sit in the one partition the
 * producer's partitioner picks for that key: only that partition is read.
 */
final class ReaderProgress {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ReaderProgress() {
    }

    /** Files of {@code jobId} already committed by the reader (0 for a new job). */
    static int committedFiles(Map<String, String> kafka, String jobEventsTopic, String jobId) {
        byte[] key = jobId.getBytes(StandardCharsets.UTF_8);
        long files = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.unassignedConsumer(kafka, "kbi-reader-progress")) {
            TopicPartition partition = partitionOf(consumer, jobEventsTopic, key);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            long lastProgress = System.nanoTime();
            long position = consumer.position(partition, TIMEOUT);
            while (position < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Arrays.equals(key, record.key())) {
                        StageEvent event = JobJson.read(record.value(), StageEvent.class);
                        if (event.stage().equals(ImageJobReader.STAGE)) {
                            files += event.rowsIn();
                        }
                    }
                }
                long next = consumer.position(partition, TIMEOUT);
                if (next > position) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > TIMEOUT.toNanos()) {
                    throw new IllegalStateException("Reading " + partition + " made no progress for " + TIMEOUT
                            + " at offset " + position + " of " + end);
                }
                position = next;
            }
        }
        return Math.toIntExact(files);
    }

    /** The partition the producer's default partitioner sends {@code key} to: where the job's events are. */
    private static TopicPartition partitionOf(KafkaConsumer<byte[], byte[]> consumer, String topic, byte[] key) {
        int partitions = consumer.partitionsFor(topic, TIMEOUT).size();
        return new TopicPartition(topic, BuiltInPartitioner.partitionForKey(key, partitions));
    }
}
