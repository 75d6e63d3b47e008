package dev.kbi.localkafka;

import java.util.Locale;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers' {@code apache/kafka} image, at the same version as the kafka-clients on the class path. Only loaded
 * when Testcontainers is on the class path.
 */
final class ContainerTestBroker implements TestBroker {

    private static final System.Logger LOG = System.getLogger(ContainerTestBroker.class.getName());

    private final KafkaContainer container;

    private ContainerTestBroker(KafkaContainer container) {
        this.container = container;
    }

    /**
     * Whether Testcontainers finds a Docker engine. A broken Testcontainers setup (e.g. mismatched jars) counts as
     * "no Docker": the caller then falls back to a broker that needs no Docker.
     */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Testcontainers cannot check for Docker; not using it", e);
            return false;
        }
    }

    static ContainerTestBroker start(int messageMaxBytes) {
        KafkaContainer container = new KafkaContainer(
                DockerImageName.parse("apache/kafka").withTag(AppInfoParser.getVersion()));
        // The apache/kafka image maps KAFKA_FOO_BAR to foo.bar in server.properties.
        BrokerSettings.singleNode(messageMaxBytes).forEach((key, value) ->
                container.withEnv("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        container.start();
        return new ContainerTestBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public TestBrokerKind kind() {
        return TestBrokerKind.TESTCONTAINERS;
    }

    @Override
    public void close() {
        container.stop();
    }
}
