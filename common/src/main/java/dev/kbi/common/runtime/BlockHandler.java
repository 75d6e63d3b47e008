package dev.kbi.common.runtime;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What a stage does with one consumed record. Implementations hold no threads and never commit:
 * the {@link StageWorker} that owns the handler polls, calls {@link #handle}, waits for the
 * emitted records to be acknowledged, calls {@link #flush} and only then commits the offsets.
 *
 * <p>A handler throws only for failures of the stage itself (the output topic is gone, the disk is
 * full): bad input rows go to the dead-letter topic through {@link BlockEmitter#deadLetter}.
 */
public interface BlockHandler extends AutoCloseable {

    /**
     * How many rows {@code record} brings, counted as the stage's input (its metric and its job's
     * events) before it is handled: a block's {@code kbi-row-count} header (none: 0). A handler whose
     * records are not blocks says how it counts them.
     */
    default int declaredRows(ConsumerRecord<byte[], byte[]> record) {
        return Math.max(0, dev.kbi.common.block.BlockHeaders.rowCount(record.headers()));
    }

    /** The job {@code record} belongs to, as its rows are counted ({@link BlockIntake#jobIdOf}). */
    default String jobIdOf(ConsumerRecord<byte[], byte[]> record) {
        return BlockIntake.jobIdOf(record);
    }

    /**
     * Whether the worker may take more input now; asked before each poll. A stage that feeds the
     * pipeline (ingest) says no while the stages after it hold more than their budget: the worker then
     * holds its partitions (paused, still polling so that it stays in the group) and asks again.
     */
    default boolean acceptsInput() {
        return true;
    }

    /** Processes one record (one block), emitting results through {@code out}. */
    void handle(ConsumerRecord<byte[], byte[]> record, BlockEmitter out) throws Exception;

    /**
     * Processes the records of one poll, in order; the worker calls this, not {@link #handle}
     * directly. The default handles them one by one. A handler overrides it to work on several
     * blocks at once, e.g. the inference stage queues the rows of every block for its model before
     * waiting for the first block's results, so one model batch can take rows from several blocks.
     * Offsets of these records are committed only after this returns and the outputs are flushed.
     */
    default void handleAll(List<ConsumerRecord<byte[], byte[]>> records, BlockEmitter out) throws Exception {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            handle(record, out);
        }
    }

    /**
     * Makes everything handled so far durable, before its offsets are committed. Stages that emit to
     * Kafka have nothing to do (the worker flushes the producer); sinks close or sync their files.
     */
    default void flush() throws Exception {
    }

    /**
     * Forgets everything handled since the last {@link #flush}: its offsets will not be committed
     * (an aborted transaction, partitions lost) and the records will be read again. Sinks delete
     * the files they had not published.
     */
    default void discard() throws Exception {
    }

    /**
     * Called when partitions are assigned to this handler's worker, before any of their records is
     * handled, with the group's committed offset of each ({@code null}: none yet); reading resumes
     * there. A sink that publishes output before the commit (files) removes here what it published
     * for records at or after those offsets, which will be handled again. Stages that emit to Kafka
     * keep the default: their uncommitted outputs were aborted with their transaction.
     */
    default void onAssigned(Map<TopicPartition, Long> committedOffsets) throws Exception {
    }

    @Override
    default void close() throws Exception {
    }
}
