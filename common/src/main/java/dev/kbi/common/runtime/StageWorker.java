package dev.kbi.common.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One consumer of a stage's group: polls blocks, hands them to its {@link BlockHandler} on a
 * processing thread, and commits offsets only after the handler has flushed, together with the
 * outputs in one Kafka transaction (exactly-once) or after they are acknowledged (at-least-once),
 * see {@link OutputCommit}. A commit the group rejects is aborted and its blocks are read again.
 *
 * <p>While a batch is processed the consumer's partitions are paused and the consumer thread keeps
 * polling, so a model batch that runs longer than {@code max.poll.interval.ms} does not get the
 * worker thrown out of the group (no rebalance storms). On a rebalance the in-flight batch is
 * finished and committed before partitions are given up; on shutdown the block in hand is finished,
 * committed, and the rest handed back to the group.
 */
final class StageWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(StageWorker.class);
    private static final Duration KEEP_ALIVE_POLL = Duration.ofMillis(100);

    private final StageSettings settings;
    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final BlockEmitter emitter;
    private final BlockHandler handler;
    private final StageMetrics metrics;
    private final ExecutorService processing;
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    /** The group's committed offset of each assigned partition (absent: none yet). Consumer thread only. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private OutputCommit commit;
    /** Records a keep-alive poll returned anyway (e.g. from a partition assigned mid-batch). */
    private final ArrayDeque<ConsumerRecords<byte[], byte[]>> backlog = new ArrayDeque<>();

    /** The first wait for a broker that does not answer yet; doubled per try up to the maximum. */
    private static final Duration CONNECT_BACKOFF_FIRST = Duration.ofSeconds(1);
    private static final Duration CONNECT_BACKOFF_MAX = Duration.ofSeconds(30);

    private volatile boolean running = true;
    /** True until the output commit is set up (the producer's transactional init), which may wait for Kafka. */
    private volatile boolean initializing = true;
    /** Released by {@link #stop}: ends a pause between tries to reach Kafka. */
    private final java.util.concurrent.CountDownLatch stopSignal = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean leaveGroup = true;
    private volatile Throwable failure;
    private Future<?> inFlight;
    private long lastCommitNanos = System.nanoTime();

    StageWorker(StageSettings settings, String name, Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer, BlockEmitter emitter, BlockHandler handler, StageMetrics metrics) {
        this.settings = settings;
        this.name = name;
        this.consumer = consumer;
        this.producer = producer;
        this.emitter = emitter;
        this.handler = handler;
        this.metrics = metrics;
        this.processing = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-process"));
    }

    @Override
    public void run() {
        try {
            commit = connect();
            if (commit == null) {
                return; // stopped before Kafka answered
            }
            consumer.subscribe(settings.inputTopics(), new CommitOnRevoke());
            while (running) {
                if (backlog.isEmpty() && !handler.acceptsInput()) {
                    holdInput();
                    commitIfDue(false);
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records = nextRecords();
                if (!records.isEmpty()) {
                    processKeepingAlive(records);
                } else {
                    advancePastControlRecords();
                }
                commitIfDue(false);
            }
            commitIfDue(true);
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (Throwable e) {
            fail(e);
        } finally {
            closeQuietly();
        }
    }

    /**
     * The worker's output commit, once Kafka answers. A broker that is not reachable yet (started
     * after this service, or restarting) is waited for: the transactional producer's init is retried
     * with a growing pause ({@link #CONNECT_BACKOFF_MAX} at most), a warning each time, until it
     * succeeds or the worker is stopped (then null). Errors other than a timeout fail the worker.
     */
    private OutputCommit connect() throws InterruptedException {
        long pauseMillis = CONNECT_BACKOFF_FIRST.toMillis();
        while (running) {
            try {
                OutputCommit connected = OutputCommit.of(settings.delivery(), consumer, producer);
                connected = running ? connected : null;
                initializing = false;
                return connected;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warnf("Worker %s: Kafka did not answer (%s); trying again in %d s", name, e.getMessage(),
                        pauseMillis / 1000);
                stopSignal.await(pauseMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
                pauseMillis = Math.min(pauseMillis * 2, CONNECT_BACKOFF_MAX.toMillis());
            } catch (org.apache.kafka.common.KafkaException e) {
                if (!running) {
                    return null; // stop() closed the producer under a waiting init
                }
                throw e;
            }
        }
        return null;
    }

    /**
     * Asks the worker to finish the batch in hand, commit and close its consumer.
     *
     * @param leaveGroup leave the group at once (partitions move now); false keeps a static member's
     *        partitions for it until its session times out, so a restart moves none
     */
    void stop(boolean leaveGroup) {
        this.leaveGroup = leaveGroup;
        running = false;
        stopSignal.countDown();
        consumer.wakeup();
        if (initializing) {
            // A transactional init waiting for Kafka ignores wakeup(): closing the producer ends it now.
            producer.close(Duration.ZERO);
        }
    }

    /** The error that stopped the worker, or null while it is healthy. */
    Throwable failure() {
        return failure;
    }

    private ConsumerRecords<byte[], byte[]> nextRecords() {
        if (!backlog.isEmpty()) {
            return backlog.poll();
        }
        long start = System.nanoTime();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
        if (records.isEmpty()) {
            metrics.waitInputNanos(System.nanoTime() - start);
        }
        return records;
    }

    /**
     * One keep-alive poll with every partition paused: the handler takes no input now (downstream
     * is full). Records of partitions assigned meanwhile wait in the backlog.
     */
    private void holdInput() {
        long start = System.nanoTime();
        consumer.pause(consumer.assignment());
        try {
            ConsumerRecords<byte[], byte[]> extra = consumer.poll(KEEP_ALIVE_POLL);
            if (!extra.isEmpty()) {
                backlog.add(extra);
            }
        } finally {
            consumer.resume(consumer.paused());
            metrics.waitOutputNanos(System.nanoTime() - start);
        }
    }

    private void processKeepingAlive(ConsumerRecords<byte[], byte[]> records) throws Exception {
        commit.begin();
        consumer.pause(consumer.assignment());
        inFlight = processing.submit(() -> {
            handleAll(records);
            return null;
        });
        try {
            while (!inFlight.isDone()) {
                keepAlivePoll();
            }
            awaitInFlight();
        } finally {
            inFlight = null;
            consumer.resume(consumer.paused());
        }
    }

    private void keepAlivePoll() {
        try {
            ConsumerRecords<byte[], byte[]> extra = consumer.poll(KEEP_ALIVE_POLL);
            if (!extra.isEmpty()) {
                backlog.add(extra);
            }
        } catch (WakeupException e) {
            // Shutdown asked: finish the block in hand (awaitInFlight) before leaving.
            running = false;
            awaitInFlightUnchecked();
        }
    }

    private void handleAll(ConsumerRecords<byte[], byte[]> records) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(records.count());
        Map<String, Long> rowsByJob = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            int rows = handler.declaredRows(record);
            String jobId = handler.jobIdOf(record);
            metrics.rowsIn(rows);
            emitter.countBlock(jobId, rows, record.value() == null ? 0 : record.value().length);
            rowsByJob.merge(jobId, (long) rows, Long::sum);
            list.add(record);
        }
        long start = System.nanoTime();
        handler.handleAll(list, emitter);
        long busy = System.nanoTime() - start;
        metrics.busyNanos(busy);
        emitter.countBusy(rowsByJob, busy);
        synchronized (uncommitted) {
            for (ConsumerRecord<byte[], byte[]> record : list) {
                uncommitted.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
        }
    }

    private void commitIfDue(boolean force) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        synchronized (uncommitted) {
            if (uncommitted.isEmpty()) {
                return;
            }
            boolean due = System.nanoTime() - lastCommitNanos >= settings.commitInterval().toNanos();
            if (!force && !due) {
                return;
            }
            offsets = new HashMap<>(uncommitted);
            uncommitted.clear();
        }
        long start = System.nanoTime();
        handler.flush();
        emitter.publishJobEvents();
        emitter.flush();
        try {
            commit.commit(offsets);
        } catch (RebalanceInProgressException e) {
            // At-least-once: another worker joined or left, and the group commits nothing until the
            // rebalance completes in the next poll. Keep the offsets: CommitOnRevoke commits those of
            // partitions this worker gives up, the next commit those it keeps.
            synchronized (uncommitted) {
                offsets.forEach(uncommitted::putIfAbsent);
            }
            LOG.debugf("Worker %s: commit deferred by a rebalance in progress", name);
            return;
        } catch (CommitFailedException | RetriableException e) {
            // The group moved on (this worker was fenced or its generation is stale), or the broker did
            // not answer in time: nothing of this batch counts. The outputs are aborted and the blocks
            // read again, here or by the partitions' new owner.
            LOG.warnf("Worker %s: commit failed (%s); its blocks will be processed again", name, e.toString());
            abortAndRewind(List.of());
            return;
        }
        offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
        lastCommitNanos = System.nanoTime();
        metrics.waitOutputNanos(lastCommitNanos - start);
    }

    /**
     * Drops everything since the last commit: outputs (the transaction), the handler's unpublished
     * work and unprocessed records, and moves every partition still assigned back to its committed
     * offset, so those blocks are read again.
     */
    private void abortAndRewind(Collection<TopicPartition> lost) throws Exception {
        commit.abort();
        handler.discard();
        emitter.discardJobCounts();
        synchronized (uncommitted) {
            uncommitted.clear();
        }
        backlog.clear();
        for (TopicPartition partition : consumer.assignment()) {
            if (lost.contains(partition)) {
                continue;
            }
            Long offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

    /**
     * With transactions, a commit marker follows the last record of each upstream transaction. The
     * offsets committed after processing point at that marker, so the group would show a lag of one
     * per partition forever (and the reader's budget and KEDA would count it). Once an idle poll has
     * stepped past such markers, commit the consumer's position.
     */
    private void advancePastControlRecords() {
        if (!backlog.isEmpty()) {
            return;
        }
        for (TopicPartition partition : consumer.assignment()) {
            long position = consumer.position(partition);
            Long done = committed.get(partition);
            if (done == null ? position > 0 : position > done) {
                synchronized (uncommitted) {
                    uncommitted.merge(partition, new OffsetAndMetadata(position),
                            (a, b) -> a.offset() >= b.offset() ? a : b);
                }
            }
        }
    }

    private void awaitInFlight() throws Exception {
        try {
            inFlight.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void awaitInFlightUnchecked() {
        try {
            awaitInFlight();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Stage " + settings.stage() + " failed on a block: " + e, e);
        }
    }

    private void fail(Throwable e) {
        failure = e;
        running = false;
        LOG.errorf(e, "Worker %s stopped on an error; its partitions go back to the group. Fix the cause and "
                + "restart the service: uncommitted blocks will be processed again.", name);
    }

    private void closeQuietly() {
        processing.shutdownNow();
        try {
            handler.close();
        } catch (Exception e) {
            LOG.warnf(e, "Worker %s: closing the stage handler failed", name);
        }
        consumer.close(CloseOptions.groupMembershipOperation(leaveGroup
                ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP).withTimeout(Duration.ofSeconds(5)));
        producer.close(Duration.ofSeconds(5));
    }

    /** Finishes and commits the in-flight batch before partitions move to another worker. */
    private final class CommitOnRevoke implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            if (inFlight != null) {
                awaitInFlightUnchecked();
            }
            backlog.clear(); // not processed: the new owner reads them from the committed offsets
            try {
                commitIfDue(true);
            } catch (Exception e) {
                throw new IllegalStateException("Could not commit before giving up " + partitions + ": " + e, e);
            }
            // A commit deferred by the rebalance must not later rewind the new owner: drop it (redone there).
            synchronized (uncommitted) {
                partitions.forEach(uncommitted::remove);
            }
            partitions.forEach(committed::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Already owned by someone else: committing is impossible. The open transaction holds outputs
            // of those partitions too, so it is aborted as a whole and the partitions kept are rewound.
            try {
                if (inFlight != null) {
                    awaitInFlightUnchecked();
                }
                abortAndRewind(partitions);
            } catch (Exception e) {
                throw new IllegalStateException("Could not abort after losing " + partitions + ": " + e, e);
            }
            partitions.forEach(committed::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            if (inFlight != null) {
                // The handler is not thread-safe, and onAssigned may change its state.
                awaitInFlightUnchecked();
            }
            Map<TopicPartition, OffsetAndMetadata> found = consumer.committed(new java.util.HashSet<>(partitions));
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = found.get(partition);
                offsets.put(partition, offset == null ? null : offset.offset());
                if (offset != null) {
                    committed.put(partition, offset.offset());
                }
            }
            try {
                handler.onAssigned(offsets);
            } catch (Exception e) {
                throw new IllegalStateException("Stage " + settings.stage() + " could not prepare " + partitions
                        + ": " + e, e);
            }
            if (inFlight != null) {
                consumer.pause(partitions);
            }
        }
    }
}
