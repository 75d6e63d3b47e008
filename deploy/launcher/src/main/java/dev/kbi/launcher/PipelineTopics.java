package dev.kbi.launcher;

import dev.kbi.localkafka.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** The topics of a local run, each data topic sized for the consumers its stage may run. */
final class PipelineTopics {

    /** Consumer threads per service when not configured (the services' application.properties). */
    private static final Map<String, Integer> DEFAULT_CONCURRENCY = Map.of("kbi.images", 1, "kbi.tensors", 2,
            "kbi.predictions", 1, "kbi.dead-letters", 1);

    private final LaunchOptions options;

    PipelineTopics(LaunchOptions options) {
        this.options = options;
    }

    /** Creates the topics that do not exist yet on the broker at {@code bootstrap}. */
    void create(String bootstrap) {
        List<NewTopic> topics = new ArrayList<>();
        Map<String, String> config = Map.of("max.message.bytes", Integer.toString(LocalPipeline.MAX_MESSAGE_BYTES));
        for (String name : LocalPipeline.TOPICS) {
            topics.add(new NewTopic(name, partitionsFor(name), (short) 1).configs(config));
        }
        topics.add(new NewTopic(LocalPipeline.JOBS_TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        topics.add(new NewTopic(LocalPipeline.JOB_EVENTS_TOPIC, options.partitions(), (short) 1));
        topics.add(new NewTopic(LocalPipeline.JOB_STATUS_TOPIC, 1, (short) 1)
                .configs(Map.of("cleanup.policy", "compact")));
        try (Admin admin = Admin.create(KafkaSecurity.adminConfig(options, bootstrap))) {
            Topics.ensureTopics(admin, topics);
        }
    }

    /**
     * Partitions of a data topic: one per consumer its stage may run here (one instance per stage:
     * the larger of {@code kbi.stage.concurrency} and {@code kbi.stage.max-concurrency}), and at least
     * {@code --partitions}, so a stage never has consumers that idle for want of a partition.
     */
    int partitionsFor(String topic) {
        Map<String, String> config = options.serviceConfig();
        int concurrency = Integer.parseInt(config.getOrDefault("KBI_STAGE_CONCURRENCY",
                Integer.toString(DEFAULT_CONCURRENCY.getOrDefault(topic, 1))));
        int max = Integer.parseInt(config.getOrDefault("KBI_STAGE_MAX_CONCURRENCY", "0"));
        return Math.max(options.partitions(), Math.max(concurrency, max));
    }
}
