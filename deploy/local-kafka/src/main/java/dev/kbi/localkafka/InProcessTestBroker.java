package dev.kbi.localkafka;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A combined broker+controller inside the test JVM, from Kafka's own test kit. Only loaded when
 * {@link TestBrokerKind#INPROCESS} is chosen, so its classes are needed only then. The test kit is Kafka's internal
 * test API: revisit this class when upgrading Kafka.
 */
final class InProcessTestBroker implements TestBroker {

    private final KafkaClusterTestKit cluster;

    private InProcessTestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static InProcessTestBroker start(int messageMaxBytes) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                // The test kit defaults to the newest, unreleased metadata version; match a real broker instead.
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        BrokerSettings.singleNode(messageMaxBytes).forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            try {
                cluster.close();
            } catch (Exception closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        return new InProcessTestBroker(cluster);
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public TestBrokerKind kind() {
        return TestBrokerKind.INPROCESS;
    }

    /** Shuts the cluster down; the test kit deletes its temporary directories. */
    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
