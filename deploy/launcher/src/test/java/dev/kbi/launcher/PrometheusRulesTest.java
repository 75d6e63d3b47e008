package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting rules of {@code deploy/monitoring/alerts.yml}, checked by Prometheus' own tool: {@code promtool
 * check rules} accepts them, {@code promtool test rules} runs {@code alerts.test.yml} (each alert fires on the
 * series that should raise it and only those), and a copy with a loosened threshold fails that test. Needs
 * promtool (Debian's {@code prometheus} package, which {@code .ci/run} installs).
 */
class PrometheusRulesTest {

    private static final Path MONITORING = Path.of("../monitoring").toAbsolutePath().normalize();
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @Test
    void theRulesAreValid() throws Exception {
        Commands.Output output = promtool(MONITORING, "check", "rules", "alerts.yml");
        assertEquals(0, output.exitCode(), output.text());
        assertTrue(output.text().contains("SUCCESS: 4 rules found"), output.text());
    }

    @Test
    void eachAlertFiresOnTheSeriesMeantToRaiseIt() throws Exception {
        Commands.Output output = promtool(MONITORING, "test", "rules", "alerts.test.yml");
        assertEquals(0, output.exitCode(), output.text());
        assertTrue(output.text().contains("SUCCESS"), output.text());
    }

    @Test
    void aChangedThresholdFailsTheRuleTests(@TempDir Path temp) throws Exception {
        String rules = Files.readString(MONITORING.resolve("alerts.yml"));
        assertTrue(rules.contains("> 0.01 *"), "the dead-letter threshold moved");
        Files.writeString(temp.resolve("alerts.yml"), rules.replace("> 0.01 *", "> 0.1 *"));
        Files.copy(MONITORING.resolve("alerts.test.yml"), temp.resolve("alerts.test.yml"));

        Commands.Output output = promtool(temp, "test", "rules", "alerts.test.yml");

        assertEquals(1, output.exitCode(), output.text());
        assertTrue(output.text().contains("alertname: KbiDeadLetterRateHigh"), output.text());
    }

    private static Commands.Output promtool(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        return Commands.run(dir, command, Map.of(), TIMEOUT);
    }
}
