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
 * producer and handler. Every service uses it; a service supplies only its {@link BlockHandler}.
 */
public final class StageRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StageRunner.class);

    private final StageSettings settings;
    private final Supplier<BlockHandler> handlers;
    private final StageMetrics metrics;
    private final BlockCodec codec;
    private final List<StageWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param handlers makes one handler per worker (handlers need not be thread-safe)
     */
    public StageRunner(StageSettings settings, Supplier<BlockHandler> handlers, StageMetrics metrics, BlockCodec codec) {
        this.settings = settings;
        this.handlers = handlers;
        this.metrics = metrics;
        this.codec = codec;
    }

    /** Starts the workers; returns at once. */
    public synchronized void start() {
        BlockSplitter splitter = new BlockSplitter(codec, settings.maxMessageBytes());
        for (int i = 0; i < settings.concurrency(); i++) {
            String name = settings.stage() + "-" + i;
            KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(settings.kafka(), settings.groupId(), name);
            KafkaProducer<byte[], byte[]> producer =
                    KafkaClients.producer(settings.kafka(), name, settings.maxMessageBytes());
            BlockEmitter emitter = new BlockEmitter(producer, splitter, settings.deadLetterTopic(), settings.stage(),
                    metrics);
            StageWorker worker = new StageWorker(settings, name, consumer, producer, emitter, handlers.get(), metrics);
            Thread thread = new Thread(worker, name + "-poll");
            workers.add(worker);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("Stage %s started %d worker(s) in group %s on %s", settings.stage(), settings.concurrency(),
                settings.groupId(), settings.inputTopics());
    }

    /** True while every worker runs without error (liveness). */
    public synchronized boolean isHealthy() {
        return !threads.isEmpty() && failures().isEmpty() && threads.stream().allMatch(Thread::isAlive);
    }

    /** Errors that stopped workers, one line each. */
    public synchronized List<String> failures() {
        List<String> failures = new ArrayList<>();
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
    public synchronized void close() {
        workers.forEach(StageWorker::stop);
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
