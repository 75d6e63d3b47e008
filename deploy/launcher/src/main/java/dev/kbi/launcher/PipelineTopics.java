package dev.kbi.launcher;

import dev.kbi.common.pipeline.Stage;
import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.localkafka.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** The topics of a local run, each data topic sized for the consumers its stage may run. */
final class PipelineTopics {

    /** Consumer threads per stage when not configured (the services' application.properties). */
    private static final Map<String, Integer> DEFAULT_CONCURRENCY = Map.of(Pipeline.PREPROCESSOR, 1,
            Pipeline.INFERENCE, 2, Pipeline.WRITER, 1);

    private final LaunchOptions options;
    private final Pipeline pipeline;

    PipelineTopics(LaunchOptions options) {
        this.options = options;
        this.pipeline = options.pipeline();
    }

    /** Creates the topics that do not exist yet on the broker at {@code bootstrap}. */
    void create(String bootstrap) {
        List<NewTopic> topics = new ArrayList<>();
        Map<String, String> config = Map.of("max.message.bytes", Integer.toString(LocalPipeline.MAX_MESSAGE_BYTES));
        for (String name : pipeline.dataTopics()) {
            topics.add(new NewTopic(name, partitionsFor(name), (short) 1).configs(config));
        }
        topics.add(new NewTopic(pipeline.topics().jobs(), 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        topics.add(new NewTopic(pipeline.topics().jobEvents(), options.partitions(), (short) 1));
        topics.add(new NewTopic(pipeline.topics().jobStatus(), 1, (short) 1)
                .configs(Map.of("cleanup.policy", "compact")));
        try (Admin admin = Admin.create(KafkaSecurity.adminConfig(options, bootstrap))) {
            Topics.ensureTopics(admin, topics);
        }
    }

    /**
     * Partitions of a data topic: one per consumer the stage that reads it may run here (one instance
     * per stage: the larger of {@code kbi.stage.concurrency} and {@code kbi.stage.max-concurrency}), and
     * at least {@code --partitions}, so a stage never has consumers that idle for want of a partition.
     */
    int partitionsFor(String topic) {
        Map<String, String> config = options.serviceConfig();
        int partitions = options.partitions();
        for (Stage stage : pipeline.stages()) {
            if (stage.inputTopics().contains(topic)) {
                int concurrency = Integer.parseInt(config.getOrDefault("KBI_STAGE_CONCURRENCY",
                        Integer.toString(DEFAULT_CONCURRENCY.getOrDefault(stage.name(), 1))));
                int max = Integer.parseInt(config.getOrDefault("KBI_STAGE_MAX_CONCURRENCY", "0"));
                partitions = Math.max(partitions, Math.max(concurrency, max));
            }
        }
        return partitions;
    }
}
