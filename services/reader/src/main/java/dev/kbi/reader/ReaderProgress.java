package dev.kbi.reader;

import dev.kbi.common.job.JobJson;
import dev.kbi.common.job.StageEvent;
import dev.kbi.common.runtime.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * How far earlier runs of a job got: the files counted by the reader's committed job events. Each
 * event was committed in the same transaction as its block, and blocks take files in listing
 * order, so a restarted reader resumes at exactly this index.
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
            List<TopicPartition> partitions = consumer.partitionsFor(jobEventsTopic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(jobEventsTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reached(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + jobEventsTopic + " to its end within " + TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (java.util.Arrays.equals(key, record.key())) {
                        StageEvent event = JobJson.read(record.value(), StageEvent.class);
                        if (event.stage().equals(ImageJobReader.STAGE)) {
                            files += event.rowsIn();
                        }
                    }
                }
            }
        }
        return Math.toIntExact(files);
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
