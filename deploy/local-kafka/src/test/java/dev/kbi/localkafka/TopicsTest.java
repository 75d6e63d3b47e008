package dev.kbi.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class TopicsTest {

    @Test
    void leavesExistingTopicsAloneExceptForMissingPartitions(KafkaBroker broker) throws Exception {
        try (Admin admin = KafkaTestClients.admin(broker.bootstrapServers())) {
            Topics.ensureTopics(admin, List.of(new NewTopic("topics-a", 4, (short) 1),
                    new NewTopic("topics-b", Optional.empty(), Optional.empty())));
            // Fewer partitions asked: kept at 4 (Kafka cannot shrink); default-sized topic: untouched.
            Topics.ensureTopics(admin, List.of(new NewTopic("topics-a", 2, (short) 1),
                    new NewTopic("topics-b", Optional.empty(), Optional.empty())));

            Map<String, Integer> partitions = admin.describeTopics(List.of("topics-a", "topics-b")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                            e -> e.getValue().partitions().size()));
            assertEquals(Map.of("topics-a", 4, "topics-b", 1), partitions);
        }
    }

    @Test
    void rejectsConflictingDuplicatesAndInvalidTopics(KafkaBroker broker) {
        try (Admin admin = KafkaTestClients.admin(broker.bootstrapServers())) {
            assertThrows(IllegalArgumentException.class, () -> Topics.ensureTopics(admin,
                    List.of(new NewTopic("topics-dup", 1, (short) 1), new NewTopic("topics-dup", 2, (short) 1))));
            // Replication factor 3 on a single node: refused by the broker, reported with the topic name.
            KafkaException failure = assertThrows(KafkaException.class, () -> Topics.ensureTopics(admin,
                    List.of(new NewTopic("topics-rf3", 1, (short) 3))));
            assertEquals(true, failure.getMessage().contains("topics-rf3"), failure.getMessage());
        }
    }
}
