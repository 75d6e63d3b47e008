package dev.kbi.common.runtime;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.block.BlockSplitter;
import dev.kbi.common.block.RowSchema;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.job.StageEvent;
import dev.kbi.common.rows.DeadLetterRow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Turns rows into block records and sends them: splits blocks that would exceed the topic's size
 * limit, stamps the block headers, and sends rows that cannot be sent at all to the dead-letter
 * topic with the reason. Sends are asynchronous; the owner flushes the producer before committing.
 */
public final class BlockEmitter {

    private final Producer<byte[], byte[]> producer;
    private final BlockSplitter splitter;
    private final String deadLetterTopic;
    private final String stage;
    private final StageMetrics metrics;
    private final String jobEventsTopic;
    private final JobCounter counter;
    /** The first asynchronous send failure since the last flush; rethrown by {@link #flush()}. */
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

    public BlockEmitter(Producer<byte[], byte[]> producer, BlockSplitter splitter, String deadLetterTopic,
            String stage, StageMetrics metrics) {
        this(producer, splitter, deadLetterTopic, stage, metrics, null);
    }

    /**
     * @param jobEventsTopic where {@link #publishJobEvents()} sends the per-job counts, or null for nowhere
     */
    public BlockEmitter(Producer<byte[], byte[]> producer, BlockSplitter splitter, String deadLetterTopic,
            String stage, StageMetrics metrics, String jobEventsTopic) {
        this(producer, splitter, deadLetterTopic, stage, metrics, jobEventsTopic, stage);
    }

    /**
     * @param worker the name the job events give the worker that sends through this emitter, unique
     *     across the stage's instances
     */
    public BlockEmitter(Producer<byte[], byte[]> producer, BlockSplitter splitter, String deadLetterTopic,
            String stage, StageMetrics metrics, String jobEventsTopic, String worker) {
        this.producer = producer;
        this.splitter = splitter;
        this.deadLetterTopic = deadLetterTopic;
        this.stage = stage;
        this.metrics = metrics;
        this.jobEventsTopic = jobEventsTopic;
        this.counter = new JobCounter(stage, worker);
    }

    /**
     * Sends {@code rows} to {@code topic} as one or more blocks of job {@code jobId}. Rows too large
     * for any block are dead-lettered, identified through {@code describe} (row id, source).
     *
     * @param blockSeq sequence of the block these rows came from; split parts get {@code seq.N}
     */
    public <R> void emit(String topic, String jobId, String blockSeq, RowSchema<R> schema, List<R> rows,
            Function<R, DeadLetterRow.Identity> describe) {
        BlockSplitter.Result<R> result = splitter.encode(schema, rows);
        List<BlockSplitter.EncodedBlock> blocks = result.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            String seq = blocks.size() == 1 ? blockSeq : blockSeq + "." + i;
            send(topic, jobId, seq, schema, blocks.get(i));
        }
        metrics.rowsOut(rows.size() - result.oversized().size());
        counter.out(jobId, rows.size() - result.oversized().size());
        if (!result.oversized().isEmpty()) {
            List<DeadLetterRow> dead = new ArrayList<>();
            for (R row : result.oversized()) {
                DeadLetterRow.Identity id = describe.apply(row);
                dead.add(new DeadLetterRow(id.rowId(), id.source(), stage, "dev.kbi.OversizedRow",
                        "Row does not fit in one block of at most " + splitter.maxBlockBytes()
                                + " bytes (max.message.bytes of " + topic + ")",
                        System.currentTimeMillis(), null, id.key()));
            }
            deadLetter(jobId, blockSeq, dead);
        }
    }

    /** Sends rows that failed to the dead-letter topic. Oversized payloads are dropped from the letter, not the letter. */
    public void deadLetter(String jobId, String blockSeq, List<DeadLetterRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        rows.forEach(row -> counter.deadLettered(jobId, 1, row.errorClass(), describe(row)));
        metrics.rowsDeadLettered(rows.size());
        sendDeadLetters(jobId, blockSeq, rows);
    }

    /**
     * Sends the dead letter of a whole block that could not be read; it stands for the
     * {@code declaredRows} rows the block's header announced (at least one), so the job's counts add up.
     */
    public void deadLetterBlock(String jobId, String blockSeq, DeadLetterRow letter, int declaredRows) {
        // Counted alike in the job's events and the stage's metric.
        int rows = Math.max(1, declaredRows);
        counter.deadLettered(jobId, rows, letter.errorClass(), describe(letter));
        metrics.rowsDeadLettered(rows);
        sendDeadLetters(jobId, blockSeq, List.of(letter));
    }

    /** Counts rows a stage received for a job (the worker calls it for every block). */
    public void countIn(String jobId, long rows) {
        counter.in(jobId, rows);
    }

    /**
     * Marks that the worker starts on rows of {@code jobId} now, before it counts any: a source calls
     * it before it reads a block, so that its reading time falls within the job's time in its events.
     */
    public void startJobWork(String jobId) {
        counter.in(jobId, 0);
    }

    /** Counts one block a stage received for a job: its rows and its size in bytes. */
    public void countBlock(String jobId, long rows, long bytes) {
        counter.block(jobId, rows, bytes);
    }

    /**
     * Counts the time one batch took to process, shared among its jobs by their rows
     * ({@code rowsByJob}); each job's batch latency is the whole batch's.
     */
    public void countBusy(Map<String, Long> rowsByJob, long nanos) {
        counter.busy(rowsByJob, nanos);
    }

    /** Counts rows a sink wrote for a job (stages that emit blocks are counted by {@link #emit}). */
    public void countOut(String jobId, long rows) {
        counter.out(jobId, rows);
    }

    /**
     * Sends one {@link StageEvent} per job counted since the last call, to go out with the commit
     * (in its transaction, under exactly-once), and restarts the counts.
     */
    public void publishJobEvents() {
        List<StageEvent> events = counter.drain();
        if (jobEventsTopic == null) {
            return;
        }
        for (StageEvent event : events) {
            producer.send(new ProducerRecord<>(jobEventsTopic, event.jobId().getBytes(StandardCharsets.UTF_8),
                    JobJson.write(event)), this::onCompletion);
        }
    }

    /** Forgets the counts since the last {@link #publishJobEvents()}: that work was aborted. */
    public void discardJobCounts() {
        counter.clear();
    }

    private static String describe(DeadLetterRow row) {
        return row.rowId() + ": " + row.errorClass() + ": " + row.message();
    }

    private void sendDeadLetters(String jobId, String blockSeq, List<DeadLetterRow> rows) {
        BlockSplitter.Result<DeadLetterRow> result = splitter.encode(DeadLetterRow.SCHEMA, rows);
        List<BlockSplitter.EncodedBlock> blocks = new ArrayList<>(result.blocks());
        if (!result.oversized().isEmpty()) {
            List<DeadLetterRow> withoutPayload = result.oversized().stream()
                    .map(r -> new DeadLetterRow(r.rowId(), r.source(), r.stage(), r.errorClass(), r.message(),
                            r.failedAtMillis(), null, r.key()))
                    .toList();
            blocks.addAll(splitter.encode(DeadLetterRow.SCHEMA, withoutPayload).blocks());
        }
        for (int i = 0; i < blocks.size(); i++) {
            send(deadLetterTopic, jobId, blockSeq + "." + stage + "-dlq" + (blocks.size() == 1 ? "" : "." + i),
                    DeadLetterRow.SCHEMA, blocks.get(i));
        }
    }

    /** Sends an arbitrary record (control messages such as job announcements). */
    public void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(record, this::onCompletion);
    }

    /**
     * Blocks until every record sent so far is acknowledged.
     *
     * @throws IllegalStateException if any send failed: the caller must not commit the input offsets
     */
    public void flush() {
        producer.flush();
        Exception failure = sendFailure.getAndSet(null);
        if (failure != null) {
            throw new IllegalStateException("Stage " + stage + " could not send a record: " + failure, failure);
        }
    }

    private void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception exception) {
        if (exception != null) {
            sendFailure.compareAndSet(null, exception);
        }
    }

    private void send(String topic, String jobId, String seq, RowSchema<?> schema, BlockSplitter.EncodedBlock block) {
        Headers headers = BlockHeaders.of(jobId, seq, block.rowCount(), schema);
        byte[] key = (jobId + "/" + seq).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, null, key, block.bytes(), headers), this::onCompletion);
    }
}
