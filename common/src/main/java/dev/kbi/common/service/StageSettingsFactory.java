package dev.kbi.common.service;

import dev.kbi.common.config.KafkaProperties;
import dev.kbi.common.config.PipelineConfig;
import dev.kbi.common.config.StageConfig;
import dev.kbi.common.runtime.StageSettings;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/** Resolves a service's {@link StageSettings} from its configuration. */
public final class StageSettingsFactory {

    private StageSettingsFactory() {
    }

    public static StageSettings create(String stage, List<String> inputTopics, PipelineConfig pipeline,
            StageConfig config, Config rawConfig) {
        return new StageSettings(stage, inputTopics, config.groupId().orElse("kbi-" + stage), config.concurrency(),
                config.pollTimeout(), config.commitInterval(), pipeline.topics().deadLetters(),
                pipeline.maxMessageBytes(), KafkaProperties.from(rawConfig));
    }
}
