package dev.kbi.common.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The stage runtime against a real broker: every row once, failures dead-lettered, no rebalance storms. */
class StageRunnerIT extends RealBrokerTest {




    /** Marks each row as processed; rows with no bytes fail (they stand for undecodable images). */
    private static StageFunction<ImageRow, ImageRow> markProcessed(Duration delayPerBlock, AtomicInteger blocks) {
        return (rows, failures) -> {
            blocks.incrementAndGet();
            Thread.sleep(delayPerBlock.toMillis());
            List<ImageRow> out = new ArrayList<>();
            for (ImageRow row : rows) {
                if (row.bytes().length == 0) {
                    failures.fail(row.rowId(), row.source(), new IllegalArgumentException("empty image"), row.bytes());
                } else {
                    out.add(new ImageRow(row.rowId(), "done:" + row.source(), row.readAtMillis(), row.bytes()));
                }
            }
            return out;
        };
    }

    private StageRunner runner(String stage, String in, String out, String dlq, int concurrency,
            Map<String, String> extraKafka, StageFunction<ImageRow, ImageRow> function) {
        Map<String, String> kafka = new HashMap<>(extraKafka);
        kafka.put("bootstrap.servers", bootstrap);
        StageSettings settings = new StageSettings(stage, List.of(in), "group-" + in, concurrency,
                Duration.ofMillis(200), Duration.ZERO, dlq, 1 << 20, kafka);
        return new StageRunner(settings, () -> new TransformHandler<>(stage, CODEC, ImageRow.SCHEMA, ImageRow.SCHEMA,
                out, function, r -> new DeadLetterRow.Identity(r.rowId(), r.source())), StageMetrics.inMemory(stage),
                CODEC);
    }

    private static List<ImageRow> block(int seq, int rows, boolean withBadRow) {
        List<ImageRow> block = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            byte[] bytes = withBadRow && i == 0 ? new byte[0] : new byte[] {(byte) i};
            block.add(new ImageRow("b" + seq + "-r" + i, "src-" + seq + "-" + i, 0, bytes));
        }
        return block;
    }

    @Test
    void everyRowArrivesOnceAndFailuresAreDeadLettered() throws Exception {
        String in = TopicProbe.uniqueTopic(admin, "in", 4);
        String out = TopicProbe.uniqueTopic(admin, "out", 4);
        String dlq = TopicProbe.uniqueTopic(admin, "dlq", 1);
        for (int seq = 0; seq < 20; seq++) {
            TopicProbe.produceBlock(producer, in, "job", seq, ImageRow.SCHEMA, block(seq, 10, seq % 5 == 0), CODEC);
        }
        producer.send(new ProducerRecord<>(in, "not arrow".getBytes())).get();
        try (StageRunner runner = runner("test", in, out, dlq, 2, Map.of(), markProcessed(Duration.ZERO,
                new AtomicInteger()))) {
            runner.start();
            List<ImageRow> results = TopicProbe.readRows(bootstrap, out, ImageRow.SCHEMA, 196, Duration.ofSeconds(60),
                    CODEC);
            List<DeadLetterRow> dead = TopicProbe.readRows(bootstrap, dlq, DeadLetterRow.SCHEMA, 5,
                    Duration.ofSeconds(30), CODEC);
            assertEquals(196, results.size());
            assertEquals(196, results.stream().map(ImageRow::rowId).distinct().count(), "no duplicates");
            assertTrue(results.stream().allMatch(r -> r.source().startsWith("done:")));
            assertEquals(5, dead.size(), "4 bad rows + 1 unreadable block: " + dead);
            assertEquals(4, dead.stream().filter(d -> d.message().equals("empty image")).count());
            DeadLetterRow block = dead.stream().filter(d -> d.rowId().startsWith("block:")).findFirst().orElseThrow();
            assertEquals("dev.kbi.common.block.BlockFormatException", block.errorClass());
            assertEquals("not arrow", new String(block.payload()));
            assertTrue(runner.isHealthy());
            assertEquals(200, runner.metrics().rowsInTotal(), "rows in, counted from block headers");
        }
    }

    @Test
    void batchesLongerThanMaxPollIntervalCauseNoRebalance() throws Exception {
        String in = TopicProbe.uniqueTopic(admin, "slow-in", 1);
        String out = TopicProbe.uniqueTopic(admin, "slow-out", 1);
        String dlq = TopicProbe.uniqueTopic(admin, "slow-dlq", 1);
        for (int seq = 0; seq < 3; seq++) {
            TopicProbe.produceBlock(producer, in, "job", seq, ImageRow.SCHEMA, block(seq, 5, false), CODEC);
        }
        AtomicInteger blocks = new AtomicInteger();
        // Each block takes 2.5 s, longer than the 1.5 s poll interval allowed: without pausing, the
        // worker would be expelled from the group and its blocks processed twice.
        Map<String, String> strict = Map.of("max.poll.interval.ms", "1500", "max.poll.records", "1",
                "session.timeout.ms", "6000", "heartbeat.interval.ms", "500");
        try (StageRunner runner = runner("slow", in, out, dlq, 1, strict, markProcessed(Duration.ofMillis(2500),
                blocks))) {
            runner.start();
            List<ImageRow> results = TopicProbe.readRows(bootstrap, out, ImageRow.SCHEMA, 15, Duration.ofSeconds(60),
                    CODEC);
            assertEquals(15, results.size());
            assertEquals(3, blocks.get(), "each block processed exactly once");
            assertTrue(runner.isHealthy(), String.valueOf(runner.failures()));
        }
    }

    @Test
    void shutdownFinishesTheBlockInHandAndHandsTheRestBack() throws Exception {
        String in = TopicProbe.uniqueTopic(admin, "stop-in", 1);
        String out = TopicProbe.uniqueTopic(admin, "stop-out", 1);
        String dlq = TopicProbe.uniqueTopic(admin, "stop-dlq", 1);
        for (int seq = 0; seq < 6; seq++) {
            TopicProbe.produceBlock(producer, in, "job", seq, ImageRow.SCHEMA, block(seq, 4, false), CODEC);
        }
        CountDownLatch firstBlockStarted = new CountDownLatch(1);
        AtomicInteger firstRunBlocks = new AtomicInteger();
        StageFunction<ImageRow, ImageRow> slow = (rows, failures) -> {
            firstBlockStarted.countDown();
            return markProcessed(Duration.ofMillis(1500), firstRunBlocks).apply(rows, failures);
        };
        Map<String, String> onePerPoll = Map.of("max.poll.records", "1");
        StageRunner first = runner("stop", in, out, dlq, 1, onePerPoll, slow);
        first.start();
        assertTrue(firstBlockStarted.await(30, TimeUnit.SECONDS));
        first.close(); // while the first block is in flight
        assertTrue(firstRunBlocks.get() >= 1 && firstRunBlocks.get() < 6, "stopped early: " + firstRunBlocks.get());

        AtomicInteger secondRunBlocks = new AtomicInteger();
        try (StageRunner second = runner("stop", in, out, dlq, 1, onePerPoll, markProcessed(Duration.ZERO,
                secondRunBlocks))) {
            second.start();
            List<ImageRow> results = TopicProbe.readRows(bootstrap, out, ImageRow.SCHEMA, 24, Duration.ofSeconds(60),
                    CODEC);
            assertEquals(24, results.size(), "every row once across the two runs");
            assertEquals(24, results.stream().map(ImageRow::rowId).distinct().count());
            assertEquals(6, firstRunBlocks.get() + secondRunBlocks.get());
        }
    }
}
