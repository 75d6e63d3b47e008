package dev.kbi.localkafka;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The ways {@link KafkaBrokerExtension} can start a broker, and the choice among them.
 *
 * <p>Without a forced kind: the in-process test kit, which starts fastest and needs nothing outside the build, when
 * its jars are on the test class path; otherwise a {@link LocalKafkaBroker} process. Never Testcontainers unless
 * forced ({@code -Dkbi.test.broker=testcontainers}): a Docker engine being present says nothing about whether its
 * image can be pulled (no container registry may be reachable), and the tests must pass either way.
 */
enum TestBrokerKind {
    /** {@code KafkaClusterTestKit} inside the test JVM. Needs kafka-test-common-runtime and kafka_2.13. */
    INPROCESS("org.apache.kafka.common.test.KafkaClusterTestKit", "kafka.server.BrokerServer"),
    /** A {@link LocalKafkaBroker} process. Needs only the kafka-libs folder. */
    PROCESS(),
    /** Testcontainers' {@code apache/kafka} container. Needs testcontainers-kafka and Docker. */
    TESTCONTAINERS("org.testcontainers.kafka.KafkaContainer", "org.testcontainers.DockerClientFactory");

    /** System property forcing a kind: {@code inprocess}, {@code process} or {@code testcontainers}. */
    static final String PROPERTY = "kbi.test.broker";

    private final String[] requiredClasses;

    TestBrokerKind(String... requiredClasses) {
        this.requiredClasses = requiredClasses;
    }

    /** Whether the classes this kind needs are on the class path. */
    boolean onClassPath() {
        ClassLoader loader = TestBrokerKind.class.getClassLoader();
        for (String name : requiredClasses) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The kind to start: {@code forced} (the system property's value) when set, else the automatic choice.
     *
     * @param dockerAvailable asked only when Testcontainers is forced
     * @throws IllegalArgumentException for an unknown forced value
     * @throws IllegalStateException when the forced kind's classes are missing
     */
    static TestBrokerKind choose(String forced, BooleanSupplier dockerAvailable) {
        if (forced != null && !forced.isBlank() && !forced.equalsIgnoreCase("auto")) {
            TestBrokerKind kind;
            try {
                kind = valueOf(forced.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PROPERTY + "=" + forced + " is not one of inprocess, process,"
                        + " testcontainers, auto", e);
            }
            if (!kind.onClassPath()) {
                throw new IllegalStateException(PROPERTY + "=" + forced + " but its classes are not on the test"
                        + " class path: " + String.join(", ", kind.requiredClasses));
            }
            if (kind == TESTCONTAINERS && !dockerAvailable.getAsBoolean()) {
                throw new IllegalStateException(PROPERTY + "=" + forced + " but Testcontainers finds no Docker engine");
            }
            return kind;
        }
        return INPROCESS.onClassPath() ? INPROCESS : PROCESS;
    }
}
