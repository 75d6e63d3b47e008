package dev.kbi.launcher;

import dev.kbi.localkafka.LocalKafkaBroker;
import dev.kbi.localkafka.ScramUser;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The run's Kafka security settings, which the services get as environment variables
 * ({@code --set kafka.security.protocol=SASL_PLAINTEXT} becomes {@code KAFKA_SECURITY_PROTOCOL}), applied to the
 * launcher's own side as well: its local broker is started with the SCRAM user those settings log in as, and its
 * admin client logs in with them. Without such settings nothing changes (PLAINTEXT).
 */
final class KafkaSecurity {

    private static final String ENV_PREFIX = "KAFKA_";

    private KafkaSecurity() {
    }

    /**
     * The client security settings among the run's service settings: {@code security.protocol}, {@code sasl.*}
     * and {@code ssl.*}, by their client key ({@code KAFKA_SASL_JAAS_CONFIG} gives {@code sasl.jaas.config},
     * as MicroProfile Config maps it for the services).
     */
    static Map<String, String> clientSettings(LaunchOptions options) {
        Map<String, String> settings = new HashMap<>();
        options.serviceConfig().forEach((env, value) -> {
            if (env.startsWith(ENV_PREFIX)) {
                String key = env.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                    settings.put(key, value);
                }
            }
        });
        return settings;
    }

    /**
     * {@code broker} with the SCRAM user the run's settings log in as, if any.
     *
     * @throws IllegalArgumentException when they ask for what a local broker cannot serve (TLS, another SASL
     *         mechanism)
     */
    static LocalKafkaBroker.Options brokerOptions(LaunchOptions options, LocalKafkaBroker.Options broker) {
        return broker.withScramUser(ScramUser.fromClientConfig(clientSettings(options)).orElse(null));
    }

    /** An admin client's settings: {@code bootstrap} and the run's security settings. */
    static Map<String, Object> adminConfig(LaunchOptions options, String bootstrap) {
        Map<String, Object> config = new HashMap<>(clientSettings(options));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return config;
    }
}
