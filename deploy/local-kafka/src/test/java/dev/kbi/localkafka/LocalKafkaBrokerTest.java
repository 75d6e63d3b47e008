package dev.kbi.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker process itself: start, topics, stop, restart on the same data. */
class LocalKafkaBrokerTest {

    @TempDir
    Path dataDir;

    private LocalKafkaBroker.Options options() {
        return LocalKafkaBroker.Options.of(dataDir).withJvmOptions(ProcessTestBroker.FAST_START_JVM_OPTIONS);
    }

    @Test
    void keepsTopicsAndRecordsAcrossRestart() throws Exception {
        String topic = "restart-keeps-data";
        long firstPid;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(options())) {
            firstPid = broker.pid();
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            try (Admin admin = KafkaTestClients.admin(broker.bootstrapServers())) {
                Topics.ensureTopics(admin, List.of(new NewTopic(topic, 1, (short) 1)));
                // Idempotent, and grows a topic that has fewer partitions than asked.
                Topics.ensureTopics(admin, List.of(new NewTopic(topic, 3, (short) 1)));
                Topics.ensureTopics(admin, List.of(new NewTopic(topic, 3, (short) 1)));
                assertEquals(3, partitions(admin, topic));
            }
            KafkaTestClients.produce(broker.bootstrapServers(), topic, "k", "kept");

            IOException inUse = assertThrows(IOException.class, () -> LocalKafkaBroker.start(options()));
            assertTrue(inUse.getMessage().contains("in use by another Kafka broker"), inUse.getMessage());
            assertTrue(broker.isAlive());
        }
        assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "broker still running");
        assertTrue(LocalKafkaBroker.isFormatted(dataDir));

        try (LocalKafkaBroker broker = LocalKafkaBroker.start(options())) {
            try (Admin admin = KafkaTestClients.admin(broker.bootstrapServers())) {
                assertEquals(3, partitions(admin, topic));
            }
            assertEquals("kept", KafkaTestClients.consume(broker.bootstrapServers(), topic, 1).get(0).value());
        }
    }

    @Test
    void restartsOnTheSamePortWithItsData() throws Exception {
        String topic = "restart-same-port";
        LocalKafkaBroker broker = LocalKafkaBroker.start(options());
        try {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = KafkaTestClients.admin(bootstrap)) {
                Topics.ensureTopics(admin, List.of(new NewTopic(topic, 1, (short) 1)));
            }
            KafkaTestClients.produce(bootstrap, topic, "k", "kept");
            long firstPid = broker.pid();

            broker = broker.restart();

            assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "old broker running");
            assertEquals(bootstrap, broker.bootstrapServers(), "clients keep their bootstrap address");
            assertEquals("kept", KafkaTestClients.consume(bootstrap, topic, 1).get(0).value());
        } finally {
            broker.close();
        }
    }

    @Test
    void reportsTheBrokerLogWhenTheBrokerDies() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            long started = System.nanoTime();
            IOException failure = assertThrows(IOException.class,
                    () -> LocalKafkaBroker.start(options().withPort(taken.getLocalPort())));
            assertTrue(failure.getMessage().contains("exited with code 1"), failure.getMessage());
            assertTrue(failure.getMessage().contains("Address already in use"), failure.getMessage());
            // Noticed when the process exits, not when the 60 s readiness timeout ends.
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(45), "took too long");
        }
    }

    @Test
    void failsClearlyWithoutBrokerJars() throws IOException {
        Path empty = Files.createDirectory(dataDir.resolve("no-jars"));
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> LocalKafkaBroker.start(options().withClasspath(empty)));
        assertTrue(failure.getMessage().contains("No kafka_2.13 jar in " + empty), failure.getMessage());
    }

    @Test
    void rejectsInvalidOptions() {
        assertThrows(IllegalArgumentException.class, () -> options().withPort(70000));
        assertThrows(IllegalArgumentException.class, () -> options().withMessageMaxBytes(0));
        assertEquals(Map.of("log.retention.hours", "1"),
                options().withConfig("log.retention.hours", "1").config());
    }

    private static int partitions(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic);
        return description.partitions().size();
    }
}
