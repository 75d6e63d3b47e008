package dev.kbi.common.service;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.config.KafkaProperties;
import dev.kbi.common.config.PipelineConfig;
import dev.kbi.common.config.StageConfig;
import dev.kbi.common.runtime.BlockHandler;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.runtime.StageSettings;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;

/**
 * What every service needs from its configuration to run a stage: the shared pipeline settings,
 * the pass-through Kafka client properties, the metrics registry, and a ready {@link StageRunner}.
 * Services inject this one bean instead of repeating the same four injections.
 */
@ApplicationScoped
public class StageContext {

    @Inject
    PipelineConfig pipeline;
    @Inject
    StageConfig stage;
    @Inject
    Config config;
    @Inject
    MeterRegistry registry;

    /** Topics and the block size limit. */
    public PipelineConfig pipeline() {
        return pipeline;
    }

    /** Every {@code kafka.*} key, without the prefix. */
    public Map<String, String> kafka() {
        return KafkaProperties.from(config);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The stage's counters and timers, tagged {@code stage=<stage>}. */
    public StageMetrics metrics(String stageName) {
        return new StageMetrics(registry, stageName);
    }

    /** The stage's runner settings from {@code kbi.stage.*}: group {@code kbi-<stage>} unless set. */
    public StageSettings settings(String stageName, List<String> inputTopics) {
        return new StageSettings(stageName, inputTopics, stage.groupId().orElse("kbi-" + stageName),
                stage.concurrency(), stage.pollTimeout(), stage.commitInterval(), pipeline.topics().deadLetters(),
                pipeline.maxMessageBytes(), kafka());
    }

    /** A runner (not started) of {@code handlers} over {@code inputTopics}. */
    public StageRunner runner(String stageName, List<String> inputTopics, Supplier<BlockHandler> handlers,
            StageMetrics metrics, BlockCodec codec) {
        return new StageRunner(settings(stageName, inputTopics), handlers, metrics, codec);
    }
}
