package dev.kbi.localkafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker settings shared by every broker this module starts (process, in-process test kit, container), so that
 * local runs and tests behave the same.
 */
final class BrokerSettings {

    /** Default {@code message.max.bytes}: blocks of preprocessed tensors are several MiB each. */
    static final int DEFAULT_MESSAGE_MAX_BYTES = 8 * 1024 * 1024;

    private BrokerSettings() {
    }

    /**
     * Settings for a single-node cluster. Internal topics default to replication factor 3, which a single node
     * cannot satisfy: consumer groups and transactions would then never work. A single offsets partition and no
     * initial rebalance delay make the first consumer group join take milliseconds instead of seconds.
     */
    static Map<String, String> singleNode(int messageMaxBytes) {
        if (messageMaxBytes <= 0) {
            throw new IllegalArgumentException("messageMaxBytes must be positive: " + messageMaxBytes);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("num.partitions", "1");
        settings.put("default.replication.factor", "1");
        settings.put("min.insync.replicas", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created explicitly (Topics.ensureTopics) so a typo in a topic name fails instead of
        // silently creating a one-partition topic.
        settings.put("auto.create.topics.enable", "false");
        settings.put("message.max.bytes", Integer.toString(messageMaxBytes));
        // Followers do not exist on one node, but keep fetch size consistent with the largest message.
        settings.put("replica.fetch.max.bytes", Integer.toString(messageMaxBytes));
        return settings;
    }
}
