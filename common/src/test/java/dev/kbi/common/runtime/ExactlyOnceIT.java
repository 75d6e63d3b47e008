package dev.kbi.common.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.job.JobJson;
import dev.kbi.common.job.StageEvent;
import dev.kbi.common.lag.ConsumerLag;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The delivery guarantee against a real broker. A worker crashes after its outputs were sent and
 * acknowledged but before its offsets were committed, and a new worker takes over: exactly-once
 * leaves every row once downstream (the crashed transaction is aborted), at-least-once repeats
 * the batch — the case the transaction exists for.
 */
class ExactlyOnceIT extends RealBrokerTest {

    private static final int BLOCKS = 12;
    private static String lastEventsTopic;



    @Test
    void aCrashBetweenSendingAndCommittingRepeatsNoRowWithTransactions() throws Exception {
        List<ImageRow> out = crashOnceThenRecover(StageSettings.Delivery.EXACTLY_ONCE);

        assertEquals(BLOCKS, out.size(), "every row arrived");
        assertEquals(BLOCKS, out.stream().map(ImageRow::rowId).distinct().count(), "no row twice");
        List<StageEvent> events = readEvents(lastEventsTopic);
        assertEquals(BLOCKS, events.stream().mapToLong(StageEvent::rowsIn).sum(), "job events count each row once");
        assertEquals(BLOCKS, events.stream().mapToLong(StageEvent::rowsOut).sum());
        assertTrue(events.stream().allMatch(e -> e.jobId().equals("job") && e.stage().equals("eos")), "" + events);
    }

    @Test
    void withoutTransactionsTheSameCrashRepeatsTheBatch() throws Exception {
        List<ImageRow> out = crashOnceThenRecover(StageSettings.Delivery.AT_LEAST_ONCE);

        assertEquals(BLOCKS, out.stream().map(ImageRow::rowId).distinct().count(), "every row arrived");
        assertTrue(out.size() > BLOCKS, "the crashed batch came out twice: " + out.size() + " rows");
    }

    @Test
    void aDrainedStageShowsNoLagThoughCommitMarkersFollowItsInput() throws Exception {
        String in = TopicProbe.uniqueTopic(admin, "eos-lag-in", 2);
        String mid = TopicProbe.uniqueTopic(admin, "eos-lag-mid", 2);
        String out = TopicProbe.uniqueTopic(admin, "eos-lag-out", 2);
        for (int b = 0; b < BLOCKS; b++) {
            TopicProbe.produceBlock(producer, in, "job", b, ImageRow.SCHEMA, rows(b), CODEC);
        }
        // The first stage writes transactionally, so the second stage's input holds commit markers.
        try (StageRunner first = runner(in, mid, StageSettings.Delivery.EXACTLY_ONCE, new AtomicBoolean());
                StageRunner second = runner(mid, out, StageSettings.Delivery.EXACTLY_ONCE, new AtomicBoolean())) {
            first.start();
            second.start();
            assertEquals(BLOCKS, TopicProbe.readRows(bootstrap, out, ImageRow.SCHEMA, BLOCKS, Duration.ofSeconds(30),
                    CODEC).size());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long lag = -1;
            while (System.nanoTime() < deadline && (lag = ConsumerLag.records(admin, "group-" + mid, mid)) != 0) {
                Thread.sleep(100);
            }
            assertEquals(0, lag, "the second stage's committed offsets step past the trailing commit markers");
        }
    }

    /** Runs a stage that crashes once after its outputs are acknowledged, then a replacement. */
    private List<ImageRow> crashOnceThenRecover(StageSettings.Delivery delivery) throws Exception {
        String in = TopicProbe.uniqueTopic(admin, "eos-in", 1);
        String out = TopicProbe.uniqueTopic(admin, "eos-out", 1);
        lastEventsTopic = "events-" + out;
        for (int b = 0; b < BLOCKS; b++) {
            TopicProbe.produceBlock(producer, in, "job", b, ImageRow.SCHEMA, rows(b), CODEC);
        }
        AtomicBoolean crash = new AtomicBoolean(true);
        try (StageRunner crashing = runner(in, out, delivery, crash)) {
            crashing.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (crashing.failures().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(crashing.failures().isEmpty(), "the first worker crashed");
        }
        try (StageRunner replacement = runner(in, out, delivery, new AtomicBoolean())) {
            replacement.start();
            return TopicProbe.readRows(bootstrap, out, ImageRow.SCHEMA, BLOCKS + 1, Duration.ofSeconds(15), CODEC);
        }
    }

    private static List<StageEvent> readEvents(String topic) {
        List<StageEvent> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.unassignedConsumer(
                Map.of("bootstrap.servers", bootstrap, "auto.offset.reset", "earliest"), "events-probe")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(JobJson.read(r.value(), StageEvent.class)));
            }
        }
        return events;
    }

    private static List<ImageRow> rows(int block) {
        return List.of(new ImageRow("row-" + block, "s", 0, new byte[] {1}));
    }

    /**
     * A pass-through stage on a named instance (so the replacement fences the crashed worker at once).
     * With {@code crash} set, its first flush fails: the outputs are acknowledged by then, the offsets not.
     */
    private static StageRunner runner(String in, String out, StageSettings.Delivery delivery, AtomicBoolean crash)
            throws Exception {
        if (!admin.listTopics().names().get().contains("events-" + out)) {
            admin.createTopics(List.of(new NewTopic("events-" + out, 1, (short) 1))).all().get();
        }
        StageSettings settings = new StageSettings("eos", List.of(in), "group-" + in, 1, Duration.ofMillis(100),
                Duration.ZERO, "dlq-unused", 1 << 20, Map.of("bootstrap.servers", bootstrap, "max.poll.records", "4"),
                new StageSettings.Membership("pod-" + in, true)).withDelivery(delivery).withJobEvents("events-" + out);
        return new StageRunner(settings, () -> new CrashingOnFlush(new TransformHandler<>("eos", CODEC,
                ImageRow.SCHEMA, ImageRow.SCHEMA, out, (rows, failures) -> rows,
                r -> new DeadLetterRow.Identity(r.rowId(), r.source())), crash), StageMetrics.inMemory("eos"), CODEC);
    }

    /** Delegates, but fails the first flush while {@code crash} is set: a crash just before the commit. */
    private record CrashingOnFlush(BlockHandler delegate, AtomicBoolean crash) implements BlockHandler {

        @Override
        public void handle(ConsumerRecord<byte[], byte[]> record, BlockEmitter out) throws Exception {
            delegate.handle(record, out);
        }

        @Override
        public void handleAll(List<ConsumerRecord<byte[], byte[]>> records, BlockEmitter out) throws Exception {
            delegate.handleAll(new ArrayList<>(records), out);
        }

        @Override
        public void flush() throws Exception {
            if (crash.getAndSet(false)) {
                throw new IllegalStateException("simulated crash after the outputs were acknowledged");
            }
            delegate.flush();
        }
    }
}
