package dev.kbi.common.runtime;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * Runs a stage: {@code concurrency} workers, each with its own consumer (in the stage's group),
 * producer and handler, optionally scaled on consumer lag between bounds by a
 * {@link LagAutoscaler}. Every service uses it; a service supplies only its {@link BlockHandler}.
 */
public final class StageRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StageRunner.class);

    private final StageSettings settings;
    private final Supplier<BlockHandler> handlers;
    private final StageMetrics metrics;
    private final BlockSplitter splitter;
    private final List<StageWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** Errors of workers already removed by scaling down. */
    private final List<String> failed = new ArrayList<>();
    private LagAutoscaler autoscaler;
    private int nextWorker;
    /** Names this process in transactional ids when it has no instance id. */
    private final String randomInstance = java.util.UUID.randomUUID().toString().substring(0, 8);

    /**
     * @param handlers makes one handler per worker (handlers need not be thread-safe)
     */
    public StageRunner(StageSettings settings, Supplier<BlockHandler> handlers, StageMetrics metrics, BlockCodec codec) {
        this.settings = settings;
        this.handlers = handlers;
        this.metrics = metrics;
        this.splitter = new BlockSplitter(codec, settings.maxMessageBytes());
    }

    /** Starts {@code concurrency} workers (and the autoscaler, if any); returns at once. */
    public synchronized void start() {
        for (int i = 0; i < settings.concurrency(); i++) {
            addWorker();
        }
        LOG.infof("Stage %s started %d worker(s) in group %s on %s", settings.stage(), settings.concurrency(),
                settings.groupId(), settings.inputTopics());
        if (autoscaler != null) {
            autoscaler.start();
        }
    }

    /**
     * Scales this process's share of the stage between its bounds on lag: see {@link LagAutoscaler}.
     * Call before {@link #start()}.
     */
    public synchronized void autoscale(LagAutoscaler.Policy policy, java.util.function.LongSupplier lag) {
        this.autoscaler = new LagAutoscaler(this, lag, policy);
    }

    /** Workers running now. */
    public synchronized int workerCount() {
        return workers.size();
    }

    /**
     * Adds or removes workers until {@code count} run. A removed worker finishes its block in hand,
     * commits and leaves the group; the cooperative assignor moves only its partitions.
     */
    public synchronized void scaleTo(int count) {
        while (workers.size() < count) {
            addWorker();
        }
        while (workers.size() > count && workers.size() > 1) {
            removeWorker();
        }
        LOG.infof("Stage %s now runs %d worker(s)", settings.stage(), workers.size());
    }

    /** The worker's name in job events: its thread name, after the instance's (or a random) name. */
    private String workerId(String name) {
        String instance = settings.membership().instanceId();
        return (instance == null ? randomInstance : instance) + "/" + name;
    }

    private void addWorker() {
        String name = settings.stage() + "-" + nextWorker++;
        // Slots are reused after a scale-down, so static member names stay within 0..max-1.
        String groupInstanceId = settings.membership().groupInstanceId(workers.size());
        KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(settings.kafka(), settings.groupId(), name,
                groupInstanceId);
        String transactionalId = settings.delivery() == StageSettings.Delivery.EXACTLY_ONCE
                ? settings.membership().transactionalId(settings.groupId(), workers.size(), randomInstance)
                : null;
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(settings.kafka(), name,
                settings.maxMessageBytes(), transactionalId);
        BlockEmitter emitter = new BlockEmitter(producer, splitter, settings.deadLetterTopic(), settings.stage(), metrics,
                settings.jobEventsTopic(), workerId(name));
        StageWorker worker = new StageWorker(settings, name, consumer, producer, emitter, handlers.get(), metrics);
        Thread thread = new Thread(worker, name + "-poll");
        workers.add(worker);
        threads.add(thread);
        thread.start();
    }

    private void removeWorker() {
        StageWorker worker = workers.remove(workers.size() - 1);
        Thread thread = threads.remove(threads.size() - 1);
        worker.stop(true); // a static member too: its partitions must move now, not after its session times out
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.failure() != null) {
            failed.add(String.valueOf(worker.failure()));
        }
    }

    /** True while every worker runs without error (liveness). */
    public synchronized boolean isHealthy() {
        return !threads.isEmpty() && failures().isEmpty() && threads.stream().allMatch(Thread::isAlive);
    }

    /** Errors that stopped workers, one line each. */
    public synchronized List<String> failures() {
        List<String> failures = new ArrayList<>(failed);
        for (StageWorker worker : workers) {
            if (worker.failure() != null) {
                failures.add(String.valueOf(worker.failure()));
            }
        }
        return failures;
    }

    public StageMetrics metrics() {
        return metrics;
    }

    /** Finishes the blocks in hand, commits, and leaves the group. */
    @Override
    public void close() {
        if (autoscaler != null) {
            autoscaler.close();
        }
        stopAll();
    }

    private synchronized void stopAll() {
        boolean leave = settings.membership().leaveGroupOnShutdown();
        workers.forEach(worker -> worker.stop(leave));
        for (Thread thread : threads) {
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.infof("Stage %s stopped", settings.stage());
    }
}
