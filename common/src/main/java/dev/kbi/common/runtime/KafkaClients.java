package dev.kbi.common.runtime;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Builds the stage's Kafka clients: the user's pass-through properties first, then the settings
 * the runtime depends on (byte-array serdes, manual commits). Consumer-only keys are not given to
 * producers and vice versa, so Kafka logs no "unknown config" warnings.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** A consumer in {@code groupId} with manual commits and cooperative rebalancing. */
    public static KafkaConsumer<byte[], byte[]> consumer(Map<String, String> kafka, String groupId, String clientId) {
        return consumer(kafka, groupId, clientId, null);
    }

    /**
     * A consumer in {@code groupId} with manual commits and cooperative rebalancing, a static member
     * named {@code groupInstanceId} unless that is null.
     */
    public static KafkaConsumer<byte[], byte[]> consumer(Map<String, String> kafka, String groupId, String clientId,
            String groupInstanceId) {
        Map<String, Object> props = select(kafka, ConsumerConfig.configNames());
        if (groupInstanceId != null) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
        }
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 8);
        // Never see outputs of a stage's aborted transactions (a worker that crashed mid-batch).
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(props);
    }

    /**
     * A consumer outside any group, for {@code assign()}: reads whole topics (control records such as
     * job announcements) without committing. A {@code group.id} in the pass-through settings is ignored.
     */
    public static KafkaConsumer<byte[], byte[]> unassignedConsumer(Map<String, String> kafka, String clientId) {
        Map<String, Object> props = select(kafka, ConsumerConfig.configNames());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(props);
    }

    /** An idempotent producer that compresses blocks ({@code compression.type}, lz4 by default). */
    public static KafkaProducer<byte[], byte[]> producer(Map<String, String> kafka, String clientId,
            int maxMessageBytes) {
        return producer(kafka, clientId, maxMessageBytes, null);
    }

    /**
     * An idempotent producer that compresses blocks, transactional under {@code transactionalId}
     * unless that is null (then {@code initTransactions()} is the caller's to call).
     */
    public static KafkaProducer<byte[], byte[]> producer(Map<String, String> kafka, String clientId,
            int maxMessageBytes, String transactionalId) {
        Map<String, Object> props = select(kafka, ProducerConfig.configNames());
        if (transactionalId != null) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxMessageBytes);
        props.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 4L * maxMessageBytes));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    /** An admin client (lag, topics) with the pass-through connection and security settings. */
    public static Admin admin(Map<String, String> kafka, String clientId) {
        Map<String, Object> props = select(kafka, AdminClientConfig.configNames());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return Admin.create(props);
    }

    private static Map<String, Object> select(Map<String, String> kafka, java.util.Set<String> known) {
        Map<String, Object> props = new HashMap<>();
        kafka.forEach((key, value) -> {
            // Security and other client-wide keys (sasl.*, ssl.*) are in both sets.
            if (known.contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                props.put(key, value);
            }
        });
        return props;
    }
}
