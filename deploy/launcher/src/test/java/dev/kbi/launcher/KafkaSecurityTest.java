package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.localkafka.LocalKafkaBroker;
import dev.kbi.localkafka.ScramUser;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher's broker and admin client follow the security settings given to the services. */
class KafkaSecurityTest {

    private static final Path ROOT = Path.of("/project");
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"kbi\" password=\"s3cret\";";

    private static LaunchOptions run(String... args) {
        return LaunchOptions.parse(ROOT, args);
    }

    @Test
    void scramSettingsGiveTheBrokerItsUserAndTheAdminItsLogin() {
        LaunchOptions options = run("--set", "kafka.security.protocol=SASL_PLAINTEXT",
                "--set", "kafka.sasl.mechanism=SCRAM-SHA-256", "--set", "kafka.sasl.jaas.config=" + JAAS,
                "--set", "kafka.compression.type=zstd", "--set", "inference.batch-size=8");
        assertEquals(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
                "sasl.jaas.config", JAAS), KafkaSecurity.clientSettings(options));
        assertEquals(ScramUser.sha256("kbi", "s3cret"),
                KafkaSecurity.brokerOptions(options, LocalKafkaBroker.Options.of(Path.of("k"))).scramUser());
        Map<String, Object> admin = KafkaSecurity.adminConfig(options, "127.0.0.1:9092");
        assertEquals("127.0.0.1:9092", admin.get("bootstrap.servers"));
        assertEquals(JAAS, admin.get("sasl.jaas.config"));
        assertEquals(4, admin.size());
    }

    @Test
    void withoutSecuritySettingsNothingChanges() {
        LaunchOptions options = run("--set", "kafka.compression.type=zstd");
        assertEquals(Map.of(), KafkaSecurity.clientSettings(options));
        assertNull(KafkaSecurity.brokerOptions(options, LocalKafkaBroker.Options.of(Path.of("k"))).scramUser());
        assertEquals(Map.of("bootstrap.servers", "b:1"), KafkaSecurity.adminConfig(options, "b:1"));
    }

    @Test
    void tlsIsRefusedForTheLocalBroker() {
        LaunchOptions options = run("--set", "kafka.security.protocol=SSL",
                "--set", "kafka.ssl.truststore.location=/t.p12");
        assertEquals("/t.p12", KafkaSecurity.clientSettings(options).get("ssl.truststore.location"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> KafkaSecurity.brokerOptions(options, LocalKafkaBroker.Options.of(Path.of("k"))));
        assertTrue(refused.getMessage().contains("SSL"), refused.getMessage());
    }
}
