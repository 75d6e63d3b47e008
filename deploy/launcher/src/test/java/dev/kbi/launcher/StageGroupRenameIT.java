package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.pipeline.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage's consumer group renamed in the shared configuration ({@code kbi.groups.preprocessor}),
 * as a team sharing a cluster would: the preprocessor consumes under the new name, and the
 * reader's backpressure, held to a budget of three small blocks so that it must wait on the lag
 * over and over, reads the new group's lag. Read under the old name, a group that never committed
 * would count every block ever produced as in flight, and the reader would stall for good.
 */
class StageGroupRenameIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final String RENAMED = "team-a-preprocessor";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void aRenamedGroupIsConsumedUnderAndWatchedByTheReadersBackpressure(@TempDir Path temp) throws Exception {
        Map<String, String> settings = Map.of("KBI_GROUPS_PREPROCESSOR", RENAMED,
                "READER_BLOCK_ROWS", "10", "READER_BACKPRESSURE_MAX_ROWS_IN_FLIGHT", "30",
                // Each pause waits for the writer's commit: short commits keep the test short.
                "KBI_STAGE_COMMIT_INTERVAL", "PT0.2S");
        LaunchOptions options = new LaunchOptions(ROOT, SAMPLES, MODEL, temp.resolve("work"), temp.resolve("out"),
                "renamed-group-job", 2, TIMEOUT, true, settings);
        assertEquals(RENAMED, options.pipeline().stage(Pipeline.PREPROCESSOR).groupId());
        try (RunningPipeline pipeline = RunningPipeline.start(options, System.out)) {
            JobSummary summary = pipeline.await(pipeline.submit(options.jobId(), SAMPLES), TIMEOUT);
            summary.print(System.out);
            assertEquals("SUCCEEDED", summary.state());
            assertEquals(300, summary.rowsWritten());
            try (Admin admin = Admin.create(KafkaSecurity.adminConfig(options, pipeline.bootstrapServers()))) {
                Set<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                        .map(ConsumerGroupListing::groupId).collect(Collectors.toSet());
                assertTrue(groups.contains(RENAMED), "groups: " + groups);
                assertFalse(groups.contains("kbi-preprocessor"), "the default group is not used: " + groups);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(RENAMED)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                long consumed = committed.entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(options.pipeline().topics().images()))
                        .mapToLong(e -> e.getValue().offset()).sum();
                // 30 blocks of 10 images, each in a transaction of its own (a commit marker after each).
                assertTrue(consumed >= 30, "offsets committed by " + RENAMED + " on the images topic: " + consumed);
            }
        }
    }
}
