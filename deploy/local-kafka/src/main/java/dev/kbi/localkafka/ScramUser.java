package dev.kbi.localkafka;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SASL/SCRAM user of a {@link LocalKafkaBroker} started {@linkplain LocalKafkaBroker.Options#withScramUser with
 * SCRAM}: the broker's client listener is then {@code SASL_PLAINTEXT}, and this user is written into the KRaft
 * metadata when the storage is formatted ({@code kafka-storage format --add-scram}), so it exists before the broker
 * first starts. The broker itself uses it between its own listeners (transaction markers).
 *
 * <p>{@link #toString()} masks the password. Names and passwords are limited to characters that need no quoting
 * in a JAAS option, a {@code --add-scram} argument or {@code server.properties}.
 *
 * @param mechanism {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
 */
public record ScramUser(String mechanism, String username, String password) {

    /** The mechanisms Kafka implements for SCRAM. */
    public static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-256", "SCRAM-SHA-512");
    static final String SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._~@%+-]+");
    /** {@code key="value"} or {@code key=value} in a JAAS configuration line. */
    private static final String JAAS_OPTION = "(?:^|\\s)%s\\s*=\\s*(?:\"([^\"]*)\"|([^\\s;\"]+))";

    /** Validates. */
    public ScramUser {
        Objects.requireNonNull(mechanism, "mechanism");
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("SCRAM mechanism must be one of " + MECHANISMS + ": " + mechanism);
        }
        requireSafe(username, "username");
        requireSafe(password, "password");
    }

    /** A {@code SCRAM-SHA-256} user. */
    public static ScramUser sha256(String username, String password) {
        return new ScramUser("SCRAM-SHA-256", username, password);
    }

    /** The {@code sasl.jaas.config} a client (or the broker's own listener) logs in with. */
    public String jaasConfig() {
        return SCRAM_LOGIN_MODULE + " required username=\"" + username + "\" password=\"" + password + "\";";
    }

    /**
     * Client settings that authenticate as this user: {@code security.protocol=SASL_PLAINTEXT},
     * {@code sasl.mechanism}, {@code sasl.jaas.config}.
     */
    public Map<String, String> clientConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", mechanism);
        config.put("sasl.jaas.config", jaasConfig());
        return config;
    }

    /**
     * The user that client settings log in as, when they ask for {@code SASL_PLAINTEXT} with a SCRAM mechanism;
     * empty when they ask for {@code PLAINTEXT} (or name no protocol).
     *
     * @throws IllegalArgumentException for settings a local broker cannot serve (TLS, another SASL mechanism, no
     *         user or password in {@code sasl.jaas.config}); the message never holds the password
     */
    public static Optional<ScramUser> fromClientConfig(Map<String, String> clientConfig) {
        String protocol = clientConfig.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(Locale.ROOT);
        if (protocol.equals("PLAINTEXT")) {
            return Optional.empty();
        }
        String mechanism = clientConfig.getOrDefault("sasl.mechanism", "GSSAPI").toUpperCase(Locale.ROOT);
        if (!protocol.equals("SASL_PLAINTEXT") || !MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("A local broker serves PLAINTEXT, or SASL_PLAINTEXT with "
                    + MECHANISMS + "; the client settings ask for " + protocol + " with " + mechanism);
        }
        String jaas = clientConfig.getOrDefault("sasl.jaas.config", "");
        return Optional.of(new ScramUser(mechanism, jaasOption(jaas, "username"), jaasOption(jaas, "password")));
    }

    /** The password masked: a record's default would print it. */
    @Override
    public String toString() {
        return "ScramUser[" + mechanism + ", " + username + ", password ***]";
    }

    /** The {@code kafka-storage format --add-scram} argument that creates this user. */
    String addScramArgument() {
        return mechanism + "=[name=" + username + ",password=" + password + "]";
    }

    /**
     * Broker settings for a SCRAM client listener named {@code listener} that is also the inter-broker listener.
     */
    Map<String, String> brokerConfig(String listener) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("sasl.enabled.mechanisms", mechanism);
        config.put("sasl.mechanism.inter.broker.protocol", mechanism);
        config.put("listener.name." + listener.toLowerCase(Locale.ROOT) + "." + mechanism.toLowerCase(Locale.ROOT)
                + ".sasl.jaas.config", jaasConfig());
        return config;
    }

    private static String jaasOption(String jaas, String key) {
        Matcher m = Pattern.compile(String.format(JAAS_OPTION, key)).matcher(jaas);
        if (!jaas.trim().startsWith(SCRAM_LOGIN_MODULE) || !m.find()) {
            throw new IllegalArgumentException("sasl.jaas.config must be '" + SCRAM_LOGIN_MODULE
                    + " required username=\"...\" password=\"...\";' (no " + key + " found)");
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    private static void requireSafe(String value, String name) {
        Objects.requireNonNull(value, name);
        if (!SAFE.matcher(value).matches()) {
            // The value itself stays out of the message: it may be a password.
            throw new IllegalArgumentException("SCRAM " + name + " must be non-empty and hold only letters, digits"
                    + " and ._~@%+- (a local broker writes it unquoted)");
        }
    }
}
