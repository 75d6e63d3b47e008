package dev.kbi.common.lag;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Consumer lag of one group on one topic, from the Admin API: end offsets minus committed offsets,
 * summed over partitions (a partition the group never committed counts from its log start). This is
 * the number {@code kafka-consumer-groups.sh --describe} shows, and what KEDA's Kafka scaler reads.
 *
 * <p>In bytes, the lag is estimated per partition as its lagging records times the partition's
 * average record size on the broker (log size from {@code DescribeLogDirs} over the records the log
 * holds): the bytes the stage still has to fetch, as stored (compressed).
 */
public final class ConsumerLag {

    private static final long TIMEOUT_SECONDS = 10;

    /** A lag in records (blocks) and in bytes on the broker (-1 when not measured). */
    public record Lag(long records, long bytes) {

        public static final Lag NONE = new Lag(0, 0);

        public Lag plus(Lag other) {
            return new Lag(records + other.records, bytes < 0 || other.bytes < 0 ? -1 : bytes + other.bytes);
        }
    }

    private ConsumerLag() {
    }

    /** Records of {@code topic} not yet committed by {@code groupId}. */
    public static long records(Admin admin, String groupId, String topic) {
        return measure(admin, groupId, topic, false).records();
    }

    /** Records of {@code topic} not yet committed by {@code groupId}, and their estimated bytes. */
    public static Lag recordsAndBytes(Admin admin, String groupId, String topic) {
        return measure(admin, groupId, topic, true);
    }

    private static Lag measure(Admin admin, String groupId, String topic, boolean withBytes) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
            List<TopicPartition> partitions = description.partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = offsets(admin, partitions,
                    OffsetSpec.latest());
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = offsets(admin, partitions,
                    OffsetSpec.earliest());
            Map<TopicPartition, Long> sizes = withBytes ? logSizes(admin, description) : Map.of();
            long records = 0;
            double bytes = 0;
            for (TopicPartition partition : partitions) {
                long start = starts.get(partition).offset();
                long end = ends.get(partition).offset();
                OffsetAndMetadata done = committed.get(partition);
                long lag = Math.max(0, end - (done != null ? done.offset() : start));
                records += lag;
                if (lag > 0 && end > start) {
                    bytes += (double) lag * sizes.getOrDefault(partition, 0L) / (end - start);
                }
            }
            return new Lag(records, withBytes ? Math.round(bytes) : -1);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not read the lag of group " + groupId + " on " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading lag", e);
        }
    }

    /** Bytes each partition's log holds on its leader. */
    private static Map<TopicPartition, Long> logSizes(Admin admin, TopicDescription description)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<Integer> leaders = description.partitions().stream().map(TopicPartitionInfo::leader)
                .filter(leader -> leader != null && !leader.isEmpty()).map(Node::id).distinct().toList();
        Map<TopicPartition, Long> sizes = new HashMap<>();
        Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(leaders).allDescriptions()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (Map<String, LogDirDescription> byDir : dirs.values()) {
            for (LogDirDescription dir : byDir.values()) {
                addTopic(sizes, description.name(), dir.replicaInfos());
            }
        }
        return sizes;
    }

    private static void addTopic(Map<TopicPartition, Long> sizes, String topic, Map<TopicPartition, ReplicaInfo> replicas) {
        replicas.forEach((partition, info) -> {
            if (partition.topic().equals(topic) && !info.isFuture()) {
                sizes.merge(partition, info.size(), Math::max);
            }
        });
    }

    private static Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(Admin admin,
            Collection<TopicPartition> partitions, OffsetSpec spec) throws ExecutionException, InterruptedException,
            TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        return admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
