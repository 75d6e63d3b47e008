package dev.kbi.localkafka;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Finds the folder holding the broker's jars ({@code kafka_2.13} and its runtime dependencies), which this module's
 * build copies to {@code deploy/local-kafka/target/kafka-libs}.
 */
public final class KafkaLibs {

    /** System property naming the jar folder. */
    static final String PROPERTY = "kbi.kafka.libs";
    /** Environment variable naming the jar folder. */
    static final String ENV = "KBI_KAFKA_LIBS";
    /** The folder relative to the project root (the folder holding {@code mvnw}). */
    static final Path IN_PROJECT = Path.of("deploy", "local-kafka", "target", "kafka-libs");

    private KafkaLibs() {
    }

    /**
     * Resolves the jar folder from, in order: {@code explicit}, system property {@value #PROPERTY}, environment
     * variable {@value #ENV}, then {@code <project root>/deploy/local-kafka/target/kafka-libs} where the project root
     * is the nearest folder above the working directory that holds {@code mvnw}.
     *
     * @throws IllegalStateException when no candidate is found or the chosen folder holds no broker jar
     */
    static Path resolve(Path explicit) {
        return resolve(explicit, System.getProperties(), System.getenv(), Path.of("").toAbsolutePath());
    }

    static Path resolve(Path explicit, Properties properties, Map<String, String> env, Path workingDir) {
        List<String> tried = new ArrayList<>();
        Path chosen = explicit;
        String source = "Options.classpath";
        if (chosen == null && notBlank(properties.getProperty(PROPERTY))) {
            chosen = Path.of(properties.getProperty(PROPERTY));
            source = "system property " + PROPERTY;
        }
        if (chosen == null && notBlank(env.get(ENV))) {
            chosen = Path.of(env.get(ENV));
            source = "environment variable " + ENV;
        }
        if (chosen == null) {
            Optional<Path> root = projectRoot(workingDir);
            if (root.isPresent()) {
                chosen = root.get().resolve(IN_PROJECT);
                source = "project root " + root.get();
            } else {
                tried.add("no folder with mvnw above " + workingDir);
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("Cannot find the Kafka broker jars: set " + PROPERTY + " or " + ENV
                    + ", or run from inside the project (" + String.join("; ", tried) + ")");
        }
        Path dir = chosen.toAbsolutePath().normalize();
        if (!containsBrokerJar(dir)) {
            throw new IllegalStateException("No kafka_2.13 jar in " + dir + " (from " + source + "). Build it with"
                    + " './mvnw -pl deploy/local-kafka -am package -DskipTests' in the project root.");
        }
        return dir;
    }

    /** The nearest folder at or above {@code start} that holds {@code mvnw}. */
    public static Optional<Path> projectRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static boolean containsBrokerJar(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "kafka_2.13-*.jar")) {
            return jars.iterator().hasNext();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + dir, e);
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
