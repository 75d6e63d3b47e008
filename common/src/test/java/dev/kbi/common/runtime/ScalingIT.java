package dev.kbi.common.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.lag.ConsumerLag;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Concurrency from consumer groups against a real broker: a stage under lag grows from 1 worker to
 * its maximum and back to 1 once drained; a second instance joining a running stage takes over
 * partitions; in both, every row comes out once.
 */
class ScalingIT extends RealBrokerTest {




    private static StageRunner slowStage(String in, String out, Duration perBlock, Map<String, Integer> byWorker) {
        StageFunction<ImageRow, ImageRow> slow = (rows, failures) -> {
            Thread.sleep(perBlock.toMillis());
            byWorker.merge(Thread.currentThread().getName(), rows.size(), Integer::sum);
            return rows;
        };
        StageSettings settings = new StageSettings("scale", List.of(in), "group-" + in, 1, Duration.ofMillis(100),
                Duration.ZERO, "dlq-unused", 1 << 20, Map.of("bootstrap.servers", bootstrap, "max.poll.records", "1",
                // A cooperative rebalance takes two rounds, each noticed at a heartbeat: short
                // heartbeats let new workers get partitions within this short job.
                "heartbeat.interval.ms", "300", "session.timeout.ms", "6000"));
        return new StageRunner(settings, () -> new TransformHandler<>("scale", CODEC, ImageRow.SCHEMA, ImageRow.SCHEMA,
                out, slow, r -> new DeadLetterRow.Identity(r.rowId(), r.source())), StageMetrics.inMemory("scale"),
                CODEC);
    }

    private static void produce(String topic, int blocks, int rowsPerBlock) throws Exception {
        for (int b = 0; b < blocks; b++) {
            List<ImageRow> rows = new ArrayList<>();
            for (int r = 0; r < rowsPerBlock; r++) {
                rows.add(new ImageRow("b" + b + "-r" + r, "s", 0, new byte[] {1}));
            }
            // Round-robin over the 4 partitions, so every partition holds work for a joining worker.
            producer.send(new ProducerRecord<>(topic, b % 4, (byte[]) null, CODEC.encode(ImageRow.SCHEMA, rows),
                    BlockHeaders.of("job", Integer.toString(b), rows.size(), ImageRow.SCHEMA))).get();
        }
    }

    @Test
    void aStageUnderLagScalesUpToItsMaximumAndBackWhenDrained() throws Exception {
        String in = TopicProbe.uniqueTopic(admin, "scale-in", 4);
        String out = TopicProbe.uniqueTopic(admin, "scale-out", 4);
        produce(in, 60, 3);
        Map<String, Integer> byWorker = new ConcurrentHashMap<>();
        StageRunner runner = slowStage(in, out, Duration.ofMillis(250), byWorker);
        runner.autoscale(new LagAutoscaler.Policy(1, 3, 4, 0, Duration.ofMillis(200), Duration.ofSeconds(1)),
                () -> ConsumerLag.records(admin, "group-" + in, in));
        AtomicInteger maxWorkers = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                maxWorkers.accumulateAndGet(runner.workerCount(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            runner.start();
            sampler.start();
            List<ImageRow> results = TopicProbe.readRows(bootstrap, out, ImageRow.SCHEMA, 180, Duration.ofSeconds(90),
                    CODEC);
            assertEquals(180, results.size(), "every row once");
            assertEquals(180, results.stream().map(ImageRow::rowId).distinct().count());
            assertEquals(3, maxWorkers.get(), "scaled up to the maximum under lag");
            assertTrue(byWorker.size() >= 2, "several workers shared the work: " + byWorker);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (runner.workerCount() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, runner.workerCount(), "back to the minimum once drained and cooled down");
            assertTrue(runner.isHealthy(), String.valueOf(runner.failures()));
        } finally {
            sampling.set(false);
            sampler.join();
            runner.close();
        }
    }

    @Test
    void aSecondInstanceJoiningARunningStageTakesOverPartitionsAndEveryRowArrivesOnce() throws Exception {
        String in = TopicProbe.uniqueTopic(admin, "join-in", 4);
        String out = TopicProbe.uniqueTopic(admin, "join-out", 4);
        produce(in, 60, 3);
        Map<String, Integer> first = new ConcurrentHashMap<>();
        Map<String, Integer> second = new ConcurrentHashMap<>();
        // 60 blocks of 250 ms: 15 s for one instance, so the second joins well before the end.
        try (StageRunner a = slowStage(in, out, Duration.ofMillis(250), first);
                StageRunner b = slowStage(in, out, Duration.ofMillis(250), second)) {
            a.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (first.values().stream().mapToInt(Integer::intValue).sum() < 15 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            b.start(); // joins the group mid-job: a cooperative rebalance hands it some partitions
            List<ImageRow> results = TopicProbe.readRows(bootstrap, out, ImageRow.SCHEMA, 180, Duration.ofSeconds(90),
                    CODEC);
            assertEquals(180, results.size());
            assertEquals(180, results.stream().map(ImageRow::rowId).distinct().count(), "no row twice");
            assertTrue(!second.isEmpty(), "the second instance took part");
            assertTrue(a.isHealthy() && b.isHealthy(), a.failures() + " " + b.failures());
        }
    }
}
