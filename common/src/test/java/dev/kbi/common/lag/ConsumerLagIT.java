package dev.kbi.common.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.localkafka.KafkaBroker;
import dev.kbi.localkafka.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lag in records and bytes against a real broker, with records of a known size. */
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerLagIT {

    private static final int RECORD_BYTES = 10_000;

    @Test
    void lagInBytesIsTheLaggingRecordsAtTheirStoredSize(KafkaBroker broker) throws Exception {
        String topic = "lag-" + UUID.randomUUID();
        String group = "group-" + topic;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        "bootstrap.servers", broker.bootstrapServers(), "compression.type", "none"),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            Random random = new Random(1); // incompressible payloads: stored size ~ payload size
            for (int i = 0; i < 10; i++) {
                byte[] value = new byte[RECORD_BYTES];
                random.nextBytes(value);
                producer.send(new ProducerRecord<>(topic, i % 2, null, value)).get();
            }
            assertEquals(10, ConsumerLag.records(admin, group, topic), "a group that committed nothing owes all");
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(3),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(1))).all().get();

            ConsumerLag.Lag lag = ConsumerLag.recordsAndBytes(admin, group, topic);

            assertEquals(6, lag.records(), "5 - 3 + 5 - 1");
            assertTrue(lag.bytes() >= 6 * RECORD_BYTES && lag.bytes() < 6 * RECORD_BYTES * 1.05,
                    "6 records of 10 kB plus batch overhead, was " + lag.bytes());
            assertEquals(6, ConsumerLag.records(admin, group, topic));
        }
    }
}
