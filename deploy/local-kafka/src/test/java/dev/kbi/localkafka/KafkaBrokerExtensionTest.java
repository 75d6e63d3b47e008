package dev.kbi.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionTest {

    static KafkaBroker staticBroker;
    KafkaBroker broker;

    @Test
    void injectsOneSharedBrokerIntoFieldsAndParameters(KafkaBroker parameter) {
        assertNotNull(broker);
        assertSame(broker, parameter);
        assertSame(broker, staticBroker);
    }

    @Test
    void producesAndConsumesThroughTheBroker() throws Exception {
        String topic = "extension-round-trip";
        try (Admin admin = KafkaTestClients.admin(broker.bootstrapServers())) {
            Topics.ensureTopics(admin, List.of(new NewTopic(topic, 2, (short) 1)));
        }
        KafkaTestClients.produce(broker.bootstrapServers(), topic, "k", "hello");

        List<ConsumerRecord<String, String>> records = KafkaTestClients.consume(broker.bootstrapServers(), topic, 1);
        assertEquals("k", records.get(0).key());
        assertEquals("hello", records.get(0).value());
    }
}
