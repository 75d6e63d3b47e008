package dev.kbi.common.config;

import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * Kafka client properties passed through untouched: every configuration key under {@code kafka.}
 * ({@code kafka.bootstrap.servers}, {@code kafka.security.protocol}, {@code kafka.sasl.jaas.config}
 * ...) becomes a client property without the prefix, as Debezium Server does. Environment variables
 * override keys that application.properties declares ({@code KAFKA_BOOTSTRAP_SERVERS}).
 */
public final class KafkaProperties {

    public static final String PREFIX = "kafka.";

    private KafkaProperties() {
    }

    /** The client properties found in {@code config}. */
    public static Map<String, String> from(Config config) {
        Map<String, String> properties = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(value -> properties.put(name.substring(PREFIX.length()), value));
            }
        }
        return properties;
    }
}
