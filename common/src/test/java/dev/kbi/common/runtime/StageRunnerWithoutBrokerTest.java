package dev.kbi.common.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stage started before its broker is reachable (compose and Kubernetes start everything at once):
 * it keeps trying, stays healthy while it does, and stops at once when asked to, instead of giving up
 * after one {@code max.block.ms} or holding its shutdown for that long.
 */
class StageRunnerWithoutBrokerTest {

    private static final BlockCodec CODEC = new BlockCodec();

    @Test
    void keepsTryingToReachKafkaAndStaysHealthy() throws Exception {
        // Each try gives up after 300 ms, so a few seconds hold several tries.
        try (StageRunner runner = runner(Map.of("max.block.ms", "300"))) {
            runner.start();
            Thread.sleep(4000);
            assertTrue(runner.isHealthy(), "still trying, not failed: " + runner.failures());
            assertEquals(List.of(), runner.failures());
        }
    }

    @Test
    void stopsAtOnceWhileWaitingForKafka() throws Exception {
        StageRunner runner = runner(Map.of()); // the default max.block.ms: one try waits 60 s
        runner.start();
        Thread.sleep(1000);
        long start = System.nanoTime();
        runner.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 10_000, "closed in " + millis + " ms, not after the init's 60 s timeout");
        assertEquals(List.of(), runner.failures(), "a stop is no failure");
    }

    private static StageRunner runner(Map<String, String> kafka) throws IOException {
        Map<String, String> config = new java.util.HashMap<>(kafka);
        config.put("bootstrap.servers", "127.0.0.1:" + closedPort());
        StageSettings settings = new StageSettings("early", List.of("early-in"), "group-early", 1,
                Duration.ofMillis(200), Duration.ZERO, "early-dlq", 1 << 20, config);
        return new StageRunner(settings, () -> new TransformHandler<ImageRow, ImageRow>("early", CODEC, ImageRow.SCHEMA,
                ImageRow.SCHEMA, "early-out", (rows, failures) -> rows,
                r -> new DeadLetterRow.Identity(r.rowId(), r.source())), StageMetrics.inMemory("early"), CODEC);
    }

    /** A port nothing listens on (taken and released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
