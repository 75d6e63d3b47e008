package dev.kbi.localkafka;

/**
 * A running Kafka broker as tests see it. Injected by {@link KafkaBrokerExtension} into test fields and parameters
 * of this type.
 */
public interface KafkaBroker {

    /** Value for the clients' {@code bootstrap.servers}. */
    String bootstrapServers();
}
