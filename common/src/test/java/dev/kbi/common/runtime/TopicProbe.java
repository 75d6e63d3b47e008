package dev.kbi.common.runtime;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.block.RowSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Test helpers: create topics, produce blocks, read every row of a topic. */
final class TopicProbe {

    private TopicProbe() {
    }

    static String uniqueTopic(Admin admin, String prefix, int partitions) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        return name;
    }

    static <R> void produceBlock(KafkaProducer<byte[], byte[]> producer, String topic, String jobId, int seq,
            RowSchema<R> schema, List<R> rows, BlockCodec codec) throws Exception {
        producer.send(new ProducerRecord<>(topic, (Integer) null, (byte[]) null, codec.encode(schema, rows),
                BlockHeaders.of(jobId, Integer.toString(seq), rows.size(), schema))).get();
    }

    /** Reads the topic from the start until {@code expected} rows arrived or the timeout passed. */
    static <R> List<R> readRows(String bootstrap, String topic, RowSchema<R> schema, int expected, Duration timeout,
            BlockCodec codec) {
        List<R> rows = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(
                Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
                "probe-" + UUID.randomUUID(), "probe")) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (rows.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    rows.addAll(codec.decode(schema, record.value()));
                }
            }
            // Anything beyond the expected count (duplicates) shows up within a short extra wait.
            long settle = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < settle) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    rows.addAll(codec.decode(schema, record.value()));
                }
            }
        }
        return rows;
    }
}
