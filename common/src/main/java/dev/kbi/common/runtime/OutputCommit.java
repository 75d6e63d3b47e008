package dev.kbi.common.runtime;

import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * How a worker makes its outputs and input offsets final: in one Kafka transaction (exactly-once) or
 * one after the other (at-least-once). The worker calls {@link #begin} before handling records,
 * {@link #commit} once outputs are flushed, and {@link #abort} when they must not count.
 */
interface OutputCommit {

    /** Called before records are handled; opens a transaction if none is open. */
    void begin();

    /**
     * Commits the outputs sent since the last commit with the input offsets that produced them.
     *
     * @throws org.apache.kafka.common.errors.RebalanceInProgressException at-least-once: retry after the rebalance
     * @throws org.apache.kafka.clients.consumer.CommitFailedException the group moved on: abort and rewind
     */
    void commit(Map<TopicPartition, OffsetAndMetadata> offsets);

    /** Drops the outputs sent since the last commit, where that is possible (a transaction). */
    void abort();

    /** The commit of {@code delivery} for this worker's consumer and producer. */
    static OutputCommit of(StageSettings.Delivery delivery, Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer) {
        return delivery == StageSettings.Delivery.EXACTLY_ONCE ? new Transactional(consumer, producer)
                : new AfterAcknowledgement(consumer);
    }

    /** At-least-once: outputs are already acknowledged (the emitter flushed); commit the offsets. */
    final class AfterAcknowledgement implements OutputCommit {

        private final Consumer<byte[], byte[]> consumer;

        AfterAcknowledgement(Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void begin() {
        }

        @Override
        public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            consumer.commitSync(offsets);
        }

        @Override
        public void abort() {
        }
    }

    /**
     * Exactly-once (KIP-447): the offsets join the producer's transaction with the consumer's group
     * metadata, so the broker rejects them from a worker the group has fenced out. Aborted outputs are
     * invisible to the next stage, which reads {@code read_committed}.
     */
    final class Transactional implements OutputCommit {

        private final Consumer<byte[], byte[]> consumer;
        private final Producer<byte[], byte[]> producer;
        private boolean open;

        Transactional(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
            this.consumer = consumer;
            this.producer = producer;
            // Fences a previous worker with the same transactional id and aborts its open transaction.
            producer.initTransactions();
        }

        @Override
        public void begin() {
            if (!open) {
                producer.beginTransaction();
                open = true;
            }
        }

        @Override
        public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            begin(); // offsets alone (no output) still need a transaction
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            open = false;
        }

        @Override
        public void abort() {
            if (open) {
                open = false;
                producer.abortTransaction();
            }
        }
    }
}
