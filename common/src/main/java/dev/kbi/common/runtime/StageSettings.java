package dev.kbi.common.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link StageRunner} needs to know, resolved from configuration by the service.
 *
 * @param stage the stage's name (metrics tag, dead-letter attribution, consumer client id)
 * @param inputTopics topics consumed by the stage
 * @param groupId consumer group: every worker of every instance of the stage joins it
 * @param concurrency consumer threads in this process (instances x this = the stage's concurrency)
 * @param pollTimeout how long one poll waits for input
 * @param commitInterval minimum time between commits; zero commits after every polled batch
 * @param deadLetterTopic where rows that fail go
 * @param maxMessageBytes the topics' {@code max.message.bytes}: blocks are split below it
 * @param kafka Kafka client properties passed through untouched (bootstrap servers, security...)
 */
public record StageSettings(String stage, List<String> inputTopics, String groupId, int concurrency,
        Duration pollTimeout, Duration commitInterval, String deadLetterTopic, int maxMessageBytes,
        Map<String, String> kafka) {

    public StageSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("Stage " + stage + ": concurrency must be >= 1, was " + concurrency);
        }
        inputTopics = List.copyOf(inputTopics);
        kafka = Map.copyOf(kafka);
    }
}
