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
 * @param membership how the workers join the group (dynamic, or static with stable names)
 * @param delivery whether outputs and input offsets commit in one Kafka transaction
 * @param jobEventsTopic where each commit's per-job counts go ({@link dev.kbi.common.job.StageEvent}), or null for none
 */
public record StageSettings(String stage, List<String> inputTopics, String groupId, int concurrency,
        Duration pollTimeout, Duration commitInterval, String deadLetterTopic, int maxMessageBytes,
        Map<String, String> kafka, Membership membership, Delivery delivery, String jobEventsTopic) {

    public StageSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("Stage " + stage + ": concurrency must be >= 1, was " + concurrency);
        }
        inputTopics = List.copyOf(inputTopics);
        kafka = Map.copyOf(kafka);
    }

    /** Settings with dynamic group membership and exactly-once delivery. */
    public StageSettings(String stage, List<String> inputTopics, String groupId, int concurrency,
            Duration pollTimeout, Duration commitInterval, String deadLetterTopic, int maxMessageBytes,
            Map<String, String> kafka) {
        this(stage, inputTopics, groupId, concurrency, pollTimeout, commitInterval, deadLetterTopic,
                maxMessageBytes, kafka, Membership.DYNAMIC, Delivery.EXACTLY_ONCE, null);
    }

    /** Settings with exactly-once delivery. */
    public StageSettings(String stage, List<String> inputTopics, String groupId, int concurrency,
            Duration pollTimeout, Duration commitInterval, String deadLetterTopic, int maxMessageBytes,
            Map<String, String> kafka, Membership membership) {
        this(stage, inputTopics, groupId, concurrency, pollTimeout, commitInterval, deadLetterTopic,
                maxMessageBytes, kafka, membership, Delivery.EXACTLY_ONCE, null);
    }

    /** The same settings with another delivery guarantee. */
    public StageSettings withDelivery(Delivery other) {
        return new StageSettings(stage, inputTopics, groupId, concurrency, pollTimeout, commitInterval,
                deadLetterTopic, maxMessageBytes, kafka, membership, other, jobEventsTopic);
    }

    /** The same settings sending job events to {@code topic}. */
    public StageSettings withJobEvents(String topic) {
        return new StageSettings(stage, inputTopics, groupId, concurrency, pollTimeout, commitInterval,
                deadLetterTopic, maxMessageBytes, kafka, membership, delivery, topic);
    }

    /** How a stage's outputs and its input offsets are committed. */
    public enum Delivery {
        /**
         * Outputs (blocks, dead letters) and input offsets commit in one Kafka transaction per worker;
         * consumers read committed records only. A crash at any moment neither loses nor duplicates a row.
         */
        EXACTLY_ONCE,
        /** Outputs are acknowledged, then the offsets committed: a crash in between repeats blocks. */
        AT_LEAST_ONCE
    }

    /**
     * How workers join the stage's consumer group.
     *
     * <p>Static membership (KIP-345): with an {@code instanceId} (a pod or process name that survives
     * a restart), worker {@code n} joins as {@code <instanceId>-<n>}; a worker that restarts within
     * {@code session.timeout.ms} gets its partitions back without a rebalance of the whole group.
     *
     * @param instanceId stable name of this process, or null for dynamic membership
     * @param leaveGroupOnShutdown whether a process shutting down leaves the group at once (its
     *        partitions move now: right for a scale-down) or stays a member until its session times
     *        out (right for a rolling restart of stable pods). Workers removed by scaling always leave.
     */
    public record Membership(String instanceId, boolean leaveGroupOnShutdown) {

        /**
         * The transactional id of worker {@code slot}: stable across restarts when the instance is named,
         * so a restarted worker fences its predecessor and aborts its open transaction at once (an
         * unnamed instance gets a random one: the predecessor's transaction then times out).
         */
        public String transactionalId(String groupId, int slot, String randomInstance) {
            return groupId + "-" + (instanceId == null ? randomInstance : instanceId) + "-" + slot;
        }

        public static final Membership DYNAMIC = new Membership(null, true);

        /** The {@code group.instance.id} of worker {@code slot}, or null when membership is dynamic. */
        public String groupInstanceId(int slot) {
            return instanceId == null ? null : instanceId + "-" + slot;
        }
    }
}
