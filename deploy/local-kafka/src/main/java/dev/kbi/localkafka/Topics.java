package dev.kbi.localkafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Idempotent topic setup: safe to run on every start of every service, concurrently.
 *
 * <p>Missing topics are created as given. Existing topics are left alone (their configs and replication factor are
 * not changed), except that a topic with fewer partitions than asked gets more: a pipeline configured for more
 * parallelism must not silently run with less. Partitions are never removed (Kafka cannot).
 */
public final class Topics {

    /** Timeout of {@link #ensureTopics(Admin, Collection)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_POLL_BACKOFF_MS = 500;

    private Topics() {
    }

    /** {@link #ensureTopics(Admin, Collection, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static void ensureTopics(Admin admin, Collection<NewTopic> topics) {
        ensureTopics(admin, topics, DEFAULT_TIMEOUT);
    }

    /**
     * Makes sure every topic exists with at least the requested number of partitions, and waits until all of them
     * are visible with a leader for every partition.
     *
     * @throws IllegalArgumentException when the same topic name is given twice with different settings
     * @throws TimeoutException when the topics are not ready within {@code timeout}
     * @throws KafkaException when the cluster refuses a request (e.g. invalid config, not authorized)
     * @throws InterruptException when interrupted (the thread's interrupt flag is set again)
     */
    public static void ensureTopics(Admin admin, Collection<NewTopic> topics, Duration timeout) {
        Map<String, NewTopic> wanted = byName(topics);
        if (wanted.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<String> existing = create(admin, wanted, deadline);
            growPartitions(admin, wanted, existing, deadline);
            awaitReady(admin, wanted, deadline, timeout);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    /** Creates all topics in one request; returns the names that already existed. */
    private static List<String> create(Admin admin, Map<String, NewTopic> wanted, long deadline)
            throws InterruptedException {
        CreateTopicsResult result = admin.createTopics(wanted.values(),
                new CreateTopicsOptions().timeoutMs(remainingMs(deadline)));
        List<String> existing = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
            try {
                await(entry.getValue(), deadline, "creating topic " + entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw failure("Creating topic " + entry.getKey() + " failed", e.getCause());
                }
                // Created earlier, or by a service starting at the same time: checked below like any other.
                existing.add(entry.getKey());
            }
        }
        return existing;
    }

    private static void growPartitions(Admin admin, Map<String, NewTopic> wanted, List<String> existing,
            long deadline) throws InterruptedException {
        List<String> sized = existing.stream().filter(name -> wanted.get(name).numPartitions() > 0).toList();
        if (sized.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> described = describe(admin, sized, deadline);
        Map<String, NewPartitions> increases = new LinkedHashMap<>();
        for (String name : sized) {
            int asked = wanted.get(name).numPartitions();
            if (described.get(name).partitions().size() < asked) {
                increases.put(name, NewPartitions.increaseTo(asked));
            }
        }
        if (increases.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<Void>> results = admin.createPartitions(increases).values();
        for (Map.Entry<String, KafkaFuture<Void>> entry : results.entrySet()) {
            try {
                await(entry.getValue(), deadline, "adding partitions to " + entry.getKey());
            } catch (ExecutionException e) {
                // A concurrent caller may have grown the topic already; awaitReady checks the final count.
                if (!(e.getCause() instanceof InvalidPartitionsException)) {
                    throw failure("Adding partitions to topic " + entry.getKey() + " failed", e.getCause());
                }
            }
        }
    }

    /**
     * Polls describeTopics until every topic has its partitions, each with a leader. Creation returns once the
     * controller committed the topic; the broker we talk to may learn about it a little later, so this is a
     * bounded poll with a growing backoff (there is no Admin call that blocks until a topic is usable).
     */
    private static void awaitReady(Admin admin, Map<String, NewTopic> wanted, long deadline, Duration timeout)
            throws InterruptedException {
        long backoffMs = 10;
        String pending = "";
        while (true) {
            try {
                Map<String, TopicDescription> described = describe(admin, wanted.keySet(), deadline);
                pending = notReady(wanted, described);
                if (pending.isEmpty()) {
                    return;
                }
            } catch (KafkaException e) {
                // Expected only while metadata propagates; anything else is not retriable.
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (!(cause instanceof UnknownTopicOrPartitionException) && !(cause instanceof RetriableException)) {
                    throw e;
                }
                pending = cause.toString();
            }
            long left = remainingMs(deadline);
            if (left <= 0) {
                throw new TimeoutException("Topics not ready within " + timeout + ": " + pending);
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(backoffMs, left));
            backoffMs = Math.min(backoffMs * 2, MAX_POLL_BACKOFF_MS);
        }
    }

    private static String notReady(Map<String, NewTopic> wanted, Map<String, TopicDescription> described) {
        List<String> problems = new ArrayList<>();
        for (NewTopic topic : wanted.values()) {
            TopicDescription description = described.get(topic.name());
            if (description == null) {
                problems.add(topic.name() + " not visible");
            } else if (description.partitions().size() < topic.numPartitions()) {
                problems.add(topic.name() + " has " + description.partitions().size() + " of "
                        + topic.numPartitions() + " partitions");
            } else if (description.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
                problems.add(topic.name() + " has partitions without a leader");
            }
        }
        return String.join("; ", problems);
    }

    private static Map<String, TopicDescription> describe(Admin admin, Collection<String> names, long deadline)
            throws InterruptedException {
        try {
            return await(admin.describeTopics(names, new DescribeTopicsOptions().timeoutMs(remainingMs(deadline)))
                    .allTopicNames(), deadline, "describing topics " + names);
        } catch (ExecutionException e) {
            throw failure("Describing topics " + names + " failed", e.getCause());
        }
    }

    private static <T> T await(KafkaFuture<T> future, long deadline, String what)
            throws ExecutionException, InterruptedException {
        try {
            return future.get(Math.max(remainingMs(deadline), 1), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("Timed out " + what, e);
        }
    }

    private static KafkaException failure(String message, Throwable cause) {
        // Keep the Kafka type for the caller (e.g. TimeoutException stays retriable) but add our context.
        if (cause instanceof TimeoutException) {
            return new TimeoutException(message, cause);
        }
        return new KafkaException(message + ": " + cause, cause);
    }

    private static Map<String, NewTopic> byName(Collection<NewTopic> topics) {
        Map<String, NewTopic> byName = new LinkedHashMap<>();
        for (NewTopic topic : topics) {
            NewTopic previous = byName.putIfAbsent(topic.name(), topic);
            if (previous != null && !previous.equals(topic)) {
                throw new IllegalArgumentException("Topic " + topic.name() + " given twice with different settings: "
                        + previous + " and " + topic);
            }
        }
        return byName;
    }

    private static int remainingMs(long deadline) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(0, Math.min(left, Integer.MAX_VALUE));
    }
}
