package dev.kbi.common.runtime;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.localkafka.KafkaBroker;
import dev.kbi.localkafka.KafkaBrokerExtension;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** Base of the runtime's integration tests: a real broker, an admin client, a producer and a codec. */
@ExtendWith(KafkaBrokerExtension.class)
abstract class RealBrokerTest {

    static final BlockCodec CODEC = new BlockCodec();
    static String bootstrap;
    static Admin admin;
    static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void connect(KafkaBroker broker) {
        bootstrap = broker.bootstrapServers();
        admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        producer = KafkaClients.producer(Map.of("bootstrap.servers", bootstrap), "test", 8 << 20);
    }

    @AfterAll
    static void disconnect() {
        producer.close();
        admin.close();
    }
}
