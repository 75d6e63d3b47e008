package dev.kbi.common.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class BootstrapAddressesTest {

    /** A clock that the sleeper advances: no real waiting. */
    private final AtomicLong now = new AtomicLong();
    private final List<Duration> pauses = new ArrayList<>();

    private void sleep(Duration pause) {
        pauses.add(pause);
        now.addAndGet(pause.toNanos());
    }

    @Test
    void waitsWithGrowingPausesUntilAHostResolves() throws InterruptedException {
        long resolvesAt = Duration.ofSeconds(20).toNanos();

        BootstrapAddresses.awaitResolvable("kafka:9092", Duration.ofMinutes(1),
                host -> host.equals("kafka") && now.get() >= resolvesAt, this::sleep, now::get);

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(10)), pauses);
    }

    @Test
    void oneResolvableAddressIsEnough() throws InterruptedException {
        BootstrapAddresses.awaitResolvable("gone:9092, kafka-1:9092", Duration.ofMinutes(1),
                Set.of("kafka-1")::contains, this::sleep, now::get);
        assertTrue(pauses.isEmpty(), pauses.toString());
    }

    @Test
    void givesUpAfterTheTimeoutNamingTheSetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BootstrapAddresses.awaitResolvable(
                "kafka:9092", Duration.ofSeconds(30), host -> false, this::sleep, now::get));
        assertTrue(e.getMessage().contains("kafka:9092") && e.getMessage().contains("kbi.stage.bootstrap-resolve-timeout"),
                e.getMessage());
        assertTrue(now.get() >= Duration.ofSeconds(30).toNanos() && now.get() < Duration.ofSeconds(41).toNanos());
    }

    @Test
    void aMalformedAddressFailsAtOnce() {
        assertThrows(ConfigException.class, () -> BootstrapAddresses.awaitResolvable("kafka", Duration.ofMinutes(1),
                host -> true, this::sleep, now::get));
        assertThrows(ConfigException.class, () -> BootstrapAddresses.awaitResolvable(" , ", Duration.ofMinutes(1),
                host -> true, this::sleep, now::get));
        assertTrue(pauses.isEmpty());
    }

    @Test
    void parsesHostsAsKafkaDoes() {
        assertEquals(List.of("kafka", "10.0.0.7", "::1"), BootstrapAddresses.hosts("kafka:9092,10.0.0.7:9093,[::1]:9094"));
    }
}
