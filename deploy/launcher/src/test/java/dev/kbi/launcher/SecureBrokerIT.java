package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.localkafka.ScramUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline against a broker that only speaks SASL_PLAINTEXT with SCRAM-SHA-512: the
 * credentials reach the four services only as the standard client settings, through the environment
 * ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}),
 * and the launcher's broker and admin client take them from the same settings. The job completes,
 * and the password is in no log and not in the launcher's output.
 */
class SecureBrokerIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");

    @Test
    void runsAJobOverScramWithThePasswordInNoLog(@TempDir Path temp) throws Exception {
        String password = "kbi-pw-" + UUID.randomUUID();
        ScramUser user = new ScramUser("SCRAM-SHA-512", "kbi-pipeline", password);
        Map<String, String> env = new HashMap<>();
        user.clientConfig().forEach((key, value) -> env.put(LaunchOptions.envName("kafka." + key), value));
        assertEquals(Set.of("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG"),
                env.keySet());
        // Kafka's clients at INFO print their whole configuration when created: the likeliest leak, so the
        // services write it here (they log Kafka at WARN by default).
        env.put("QUARKUS_LOG_CATEGORY__ORG_APACHE_KAFKA__LEVEL", "INFO");

        LaunchOptions options = new LaunchOptions(ROOT, SAMPLES, MODEL, temp.resolve("work"), temp.resolve("out"),
                "secure-job", 2, Duration.ofMinutes(5), false, env);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        JobSummary summary;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            summary = new LocalPipeline(options, out).run();
            summary.print(out);
        } finally {
            System.out.print(printed.toString(StandardCharsets.UTF_8));
        }

        assertEquals(300, summary.totalRows());
        assertEquals(300, summary.rowsWritten());
        assertEquals(0, summary.rowsDeadLettered());
        assertTrue(Files.exists(summary.jobDir().resolve("_SUCCESS")));
        assertEquals(300, PipelineOutput.predictionsBySource(summary.files()).size(), "one row per image");

        // The broker took the user from the same settings: its only client listener is SASL.
        Path serverProperties = temp.resolve("work/kafka/server.properties");
        assertTrue(Files.readString(serverProperties).contains("listeners=SASL_PLAINTEXT://127.0.0.1:"));

        Path logs = temp.resolve("work/logs");
        Map<String, String> logText;
        try (Stream<Path> files = Files.list(logs)) {
            logText = files.collect(Collectors.toMap(f -> f.getFileName().toString(), SecureBrokerIT::read));
        }
        assertTrue(logText.keySet().containsAll(
                List.of("kafka.log", "reader.log", "preprocessor.log", "inference.log", "writer.log")),
                logText.keySet().toString());
        logText.forEach((name, text) -> {
            assertFalse(text.isEmpty(), name + " is empty");
            assertFalse(text.contains(password), name + " holds the SASL password");
        });
        for (String service : List.of("reader", "preprocessor", "inference", "writer")) {
            String text = logText.get(service + ".log");
            assertTrue(text.contains("sasl.mechanism = SCRAM-SHA-512"), service + " logged no client configuration");
            assertTrue(text.contains("sasl.jaas.config = [hidden]"), service + " did not mask sasl.jaas.config");
        }
        assertFalse(printed.toString(StandardCharsets.UTF_8).contains(password), "the launcher printed it");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
