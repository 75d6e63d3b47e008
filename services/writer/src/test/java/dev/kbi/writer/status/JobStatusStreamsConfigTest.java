package dev.kbi.writer.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Streams settings as Kafka Streams resolves them for its clients. */
class JobStatusStreamsConfigTest {

    @Test
    void exactlyOnceReadCommittedWithTheServicesConnectionAndSecuritySettings() {
        StreamsConfig config = new StreamsConfig(JobStatusStreamsConfig.of(Map.of(
                "bootstrap.servers", "broker:9093", "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
                "ssl.truststore.location", "/etc/ts.p12", "group.id", "someone-else", "no.such.key", "x"),
                "kbi-job-status", Path.of("/var/kbi/streams")));

        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(-1, config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG));
        assertEquals("/var/kbi/streams", config.getString(StreamsConfig.STATE_DIR_CONFIG));
        Map<String, Object> consumer = config.getMainConsumerConfigs("kbi-job-status", "client", 0);
        assertEquals("read_committed", consumer.get("isolation.level"));
        assertEquals("kbi-job-status", consumer.get("group.id"));
        assertEquals("broker:9093", consumer.get("bootstrap.servers"));
        assertEquals("SASL_SSL", consumer.get("security.protocol"));
        assertEquals("PLAIN", consumer.get("sasl.mechanism"));
        assertEquals("/etc/ts.p12", config.getProducerConfigs("client").get("ssl.truststore.location"));
        assertFalse(config.originals().containsKey("no.such.key"), "unknown keys are not passed on");
        assertFalse(consumer.containsKey("group.instance.id"), "dynamic members without an instance id");
    }

    @Test
    void theWritersInstanceIdMakesTheAppsConsumersStaticMembers() {
        StreamsConfig config = new StreamsConfig(JobStatusStreamsConfig.withInstanceId(JobStatusStreamsConfig.of(
                Map.of("bootstrap.servers", "broker:9093"), "kbi-job-status", null), "kbi-writer-0"));
        assertEquals("kbi-writer-0-status-1",
                config.getMainConsumerConfigs("kbi-job-status", "client", 1).get("group.instance.id"));
    }
}
