package dev.kbi.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker whose client listener is SASL_PLAINTEXT with SCRAM-SHA-256 and a user created when its storage was
 * formatted: that user produces and consumes (transactions included), anyone else is refused, and the password
 * appears in no log.
 */
class LocalKafkaBrokerScramTest {

    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final ScramUser USER = ScramUser.sha256("kbi-test", PASSWORD);

    @TempDir
    static Path dataDir;
    private static LocalKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.of(dataDir)
                .withJvmOptions(ProcessTestBroker.FAST_START_JVM_OPTIONS).withScramUser(USER));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theUserProducesAndConsumesPlainAndTransactionalRecords() throws Exception {
        Map<String, String> client = broker.clientConfig();
        assertEquals("SASL_PLAINTEXT", client.get("security.protocol"));
        String topic = "scram-produce-consume";
        try (Admin admin = Admin.create(new HashMap<>(client))) {
            Topics.ensureTopics(admin, List.of(new NewTopic(topic, 1, (short) 1)));
        }
        KafkaTestClients.produce(client, topic, "k", "plain");

        // Transaction markers travel over the inter-broker listener, which is the SASL one: this proves the
        // broker logs in to itself with the user as well.
        Map<String, Object> txConfig = new HashMap<>(client);
        txConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "scram-test-tx");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(txConfig, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }
        Map<String, String> readCommitted = new HashMap<>(client);
        readCommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        assertEquals(List.of("plain", "committed"), KafkaTestClients.consume(readCommitted, topic, 2).stream()
                .map(r -> r.value()).toList());
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, String> client = new HashMap<>(broker.clientConfig());
        client.putAll(ScramUser.sha256("kbi-test", "wrong-" + PASSWORD).clientConfig());
        ExecutionException refused = assertThrows(ExecutionException.class, () -> describeCluster(client, 20_000));
        assertInstanceOf(SaslAuthenticationException.class, refused.getCause(), refused.getCause().toString());
    }

    @Test
    void aClientWithoutSaslGetsNoAnswer() {
        Map<String, String> client = Map.of("bootstrap.servers", broker.bootstrapServers());
        ExecutionException refused = assertThrows(ExecutionException.class, () -> describeCluster(client, 3_000));
        assertInstanceOf(TimeoutException.class, refused.getCause(), refused.getCause().toString());
    }

    @Test
    void thePasswordIsInNoLogAndItsFileIsPrivate() throws Exception {
        // Failed logins above and below must not print it either.
        aWrongPasswordIsRefused();
        String log = Files.readString(broker.logFile());
        assertTrue(log.contains("starting broker"), log);
        assertFalse(log.contains(PASSWORD), "the broker log holds the password");
        assertFalse(USER.toString().contains(PASSWORD), USER.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(broker.dataDir().resolve("server.properties"))));
    }

    @Test
    void readsTheUserFromClientSettings() {
        assertEquals(Optional.of(USER), ScramUser.fromClientConfig(USER.clientConfig()));
        assertEquals(Optional.of(new ScramUser("SCRAM-SHA-512", "u", "p")), ScramUser.fromClientConfig(Map.of(
                "security.protocol", "sasl_plaintext", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", ScramUser.SCRAM_LOGIN_MODULE + " required username=u password=p;")));
        assertEquals(Optional.empty(), ScramUser.fromClientConfig(Map.of()));
        assertEquals(Optional.empty(), ScramUser.fromClientConfig(Map.of("security.protocol", "PLAINTEXT")));

        Map<String, String> tls = new HashMap<>(USER.clientConfig());
        tls.put("security.protocol", "SASL_SSL");
        IllegalArgumentException noTls = assertThrows(IllegalArgumentException.class,
                () -> ScramUser.fromClientConfig(tls));
        assertTrue(noTls.getMessage().contains("SASL_SSL"), noTls.getMessage());
        IllegalArgumentException unsafe = assertThrows(IllegalArgumentException.class,
                () -> ScramUser.sha256("u", "p\"" + PASSWORD));
        assertFalse(unsafe.getMessage().contains(PASSWORD), unsafe.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScramUser("PLAIN", "u", "p"));
    }

    private static void describeCluster(Map<String, String> client, int timeoutMs) throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(client))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                    .get(timeoutMs + 10_000L, TimeUnit.MILLISECONDS);
        }
    }
}
