package dev.kbi.common.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;

/**
 * Static group membership against a real broker: workers join under stable names, a worker removed
 * by scaling leaves at once (not after its long session timeout), and a process that shuts down
 * for a restart stays a member, so its restart moves no partition.
 */
class StaticMembershipIT extends RealBrokerTest {

    /** Far longer than any wait below: a member that merely stopped heart-beating would still be listed. */
    private static final String SESSION_TIMEOUT_MS = "60000";
    private static int produced;



    @Test
    void workersJoinUnderStableNamesAndAScaledDownWorkerLeavesAtOnce() throws Exception {
        String in = TopicProbe.uniqueTopic(admin, "static-in", 4);
        String out = TopicProbe.uniqueTopic(admin, "static-out", 1);
        try (StageRunner runner = stage(in, out, new StageSettings.Membership("pod-a", true), 2)) {
            runner.start();
            assertEquals(Set.of("pod-a-0", "pod-a-1"), awaitMembers(in, m -> m.size() == 2));
            runner.scaleTo(1);
            // Without LEAVE_GROUP the removed static member would stay listed for the 60 s session timeout.
            assertEquals(Set.of("pod-a-0"), awaitMembers(in, m -> m.size() == 1));
            produce(in, 8);
            assertEquals(8, TopicProbe.readRows(bootstrap, out, ImageRow.SCHEMA, 8, Duration.ofSeconds(30), CODEC)
                    .size(), "the remaining worker took over every partition");
        }
    }

    @Test
    void aProcessRestartingUnderTheSameNameKeepsItsMembershipAndResumes() throws Exception {
        String in = TopicProbe.uniqueTopic(admin, "restart-in", 2);
        String out = TopicProbe.uniqueTopic(admin, "restart-out", 1);
        StageSettings.Membership stayOnShutdown = new StageSettings.Membership("pod-b", false);
        try (StageRunner first = stage(in, out, stayOnShutdown, 1)) {
            first.start();
            produce(in, 4);
            assertEquals(4, TopicProbe.readRows(bootstrap, out, ImageRow.SCHEMA, 4, Duration.ofSeconds(30), CODEC)
                    .size());
        }
        // Shut down without leaving: the broker still counts pod-b-0 in, holding its partitions for it.
        assertEquals(Set.of("pod-b-0"), awaitMembers(in, m -> true));
        produce(in, 4);
        try (StageRunner restarted = stage(in, out, stayOnShutdown, 1)) {
            restarted.start();
            List<ImageRow> rows = TopicProbe.readRows(bootstrap, out, ImageRow.SCHEMA, 8, Duration.ofSeconds(30),
                    CODEC);
            assertEquals(8, rows.size(), "the restarted member resumed from the committed offsets, no row twice");
            assertEquals(Set.of("pod-b-0"), awaitMembers(in, m -> true));
        }
    }

    private static StageRunner stage(String in, String out, StageSettings.Membership membership, int workers) {
        StageSettings settings = new StageSettings("static", List.of(in), "group-" + in, workers,
                Duration.ofMillis(100), Duration.ZERO, "dlq-unused", 1 << 20,
                Map.of("bootstrap.servers", bootstrap, "session.timeout.ms", SESSION_TIMEOUT_MS,
                        "heartbeat.interval.ms", "300"), membership);
        Supplier<BlockHandler> handler = () -> new TransformHandler<>("static", CODEC, ImageRow.SCHEMA,
                ImageRow.SCHEMA, out, (rows, failures) -> rows, r -> new DeadLetterRow.Identity(r.rowId(), r.source()));
        return new StageRunner(settings, handler, StageMetrics.inMemory("static"), CODEC);
    }

    private static void produce(String topic, int blocks) throws Exception {
        for (int b = 0; b < blocks; b++) {
            List<ImageRow> rows = List.of(new ImageRow("r" + produced++, "s", 0, new byte[] {1}));
            producer.send(new ProducerRecord<>(topic, b % 2, (byte[]) null, CODEC.encode(ImageRow.SCHEMA, rows),
                    BlockHeaders.of("job", Integer.toString(b), 1, ImageRow.SCHEMA))).get();
        }
    }

    private static Set<String> memberNames(String group) throws Exception {
        Set<String> names = new TreeSet<>();
        try {
            for (MemberDescription member : admin.describeConsumerGroups(List.of(group)).all().get().get(group)
                    .members()) {
                names.add(member.groupInstanceId().orElse("(dynamic)"));
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
        }
        return names;
    }

    /** The group's static member names, once {@code done} holds for them (or after 20 s). */
    private static Set<String> awaitMembers(String in, java.util.function.Predicate<Set<String>> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Set<String> names = Set.of();
        while (System.nanoTime() < deadline) {
            names = memberNames("group-" + in);
            if (!names.isEmpty() && done.test(names)) {
                return names;
            }
            Thread.sleep(100);
        }
        return fail("group members never settled: " + names);
    }
}
