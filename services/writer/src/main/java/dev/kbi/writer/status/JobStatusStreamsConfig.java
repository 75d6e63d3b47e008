package dev.kbi.writer.status;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** The job-status app's Kafka Streams properties. */
final class JobStatusStreamsConfig {

    /** Pass-through keys that Kafka Streams sets itself per client; the user's value would be ignored with a warning. */
    private static final Set<String> OWNED_BY_STREAMS = Set.of(ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.CLIENT_ID_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    private JobStatusStreamsConfig() {
    }

    /**
     * @param kafka the service's {@code kafka.*} settings without the prefix (bootstrap, security...)
     * @param applicationId the app's {@code application.id}
     * @param stateDir its {@code state.dir}, or null for Kafka Streams' default
     */
    static Properties of(Map<String, String> kafka, String applicationId, Path stateDir) {
        Properties props = passThrough(kafka);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // Each stage's events are committed in its transactions; reading them read_committed and committing
        // the status with the input offsets counts every event exactly once. (Implies read_committed.)
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Internal topics (changelog, repartition) get the brokers' default.replication.factor: 1 on the local
        // single-node broker, the cluster's own value elsewhere.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // A record that is not a StageEvent/JobAnnouncement must not stop the job status of every other job.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        if (stateDir != null) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        return props;
    }

    /**
     * {@code props} with static group membership for the app's consumers ({@code group.instance.id}
     * {@code <instanceId>-status}, to which Kafka Streams appends each thread's number), as the stage
     * workers have it: a writer restarted under the same {@code kbi.stage.instance-id} takes its
     * tasks back at once, instead of waiting for its dead predecessor's session to expire before the
     * status moves again. Null {@code instanceId}: dynamic members.
     */
    static Properties withInstanceId(Properties props, String instanceId) {
        if (instanceId != null && !instanceId.isBlank()) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId + "-status");
        }
        return props;
    }

    /** The connection, security and tuning keys the Streams clients know, as {@code KafkaClients} passes them. */
    private static Properties passThrough(Map<String, String> kafka) {
        Properties props = new Properties();
        kafka.forEach((key, value) -> {
            boolean known = ConsumerConfig.configNames().contains(key) || ProducerConfig.configNames().contains(key)
                    || AdminClientConfig.configNames().contains(key) || StreamsConfig.configDef().names().contains(key)
                    || key.startsWith("sasl.") || key.startsWith("ssl.");
            if (known && !OWNED_BY_STREAMS.contains(key)) {
                props.put(key, value);
            }
        });
        return props;
    }
}
