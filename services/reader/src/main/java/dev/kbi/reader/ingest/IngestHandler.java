package dev.kbi.reader.ingest;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockFormatException;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.job.JobIds;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.runtime.BlockEmitter;
import dev.kbi.common.runtime.BlockHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The ingest stage: records other systems produce to the input topic become blocks of image rows
 * on the images topic, the same blocks the reader makes of files, so every later stage handles
 * both alike. The records of one poll are gathered per job into blocks of up to
 * {@code reader.block-rows} rows and {@code reader.block-bytes} bytes (a raw image per record would
 * otherwise make one-row blocks all the way to the writer).
 *
 * <p>A record's job is its {@code kbi-job-id} header, or {@code reader.ingest.default-job-id} when it
 * has none (a continuous feed). A record that cannot become rows is dead-lettered with the reason,
 * under its job ({@link JobIds#UNKNOWN} when its job id is invalid), and the rest go on. While the
 * stages downstream are over the backpressure budget, it takes no input ({@link DownstreamGate}).
 */
final class IngestHandler implements BlockHandler {

    private static final String STAGE = dev.kbi.common.pipeline.Pipeline.INGEST;

    private final InputRecords inputs;
    private final String imagesTopic;
    private final String defaultJobId;
    private final int blockRows;
    private final long blockBytes;
    /** Null: no backpressure ({@code reader.backpressure.enabled=false}). */
    private final DownstreamGate gate;

    IngestHandler(InputRecords inputs, String imagesTopic, String defaultJobId, int blockRows, long blockBytes,
            DownstreamGate gate) {
        this.inputs = inputs;
        this.imagesTopic = imagesTopic;
        this.defaultJobId = JobIds.require(defaultJobId);
        this.blockRows = blockRows;
        this.blockBytes = blockBytes;
        this.gate = gate;
    }

    /** No more input while the stages downstream hold more than their budget ({@link DownstreamGate}). */
    @Override
    public boolean acceptsInput() {
        return gate == null || gate.hasRoom();
    }

    /** An Arrow block counts the rows its header declares (at least one), any other record one row. */
    @Override
    public int declaredRows(ConsumerRecord<byte[], byte[]> record) {
        return Math.max(1, BlockHeaders.rowCount(record.headers()));
    }

    @Override
    public String jobIdOf(ConsumerRecord<byte[], byte[]> record) {
        String jobId = BlockHeaders.get(record.headers(), BlockHeaders.JOB_ID);
        if (jobId == null) {
            return defaultJobId;
        }
        return JobIds.isValid(jobId) ? jobId : JobIds.UNKNOWN;
    }

    @Override
    public void handle(ConsumerRecord<byte[], byte[]> record, BlockEmitter out) {
        handleAll(List.of(record), out);
    }

    @Override
    public void handleAll(List<ConsumerRecord<byte[], byte[]>> records, BlockEmitter out) {
        Map<String, Blocks> byJob = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String jobId = jobIdOf(record);
            try {
                requireValidJobId(record);
                List<ImageRow> rows = inputs.rows(record);
                byJob.computeIfAbsent(jobId, id -> new Blocks()).add(seq(record), rows);
            } catch (RefusedRecord | BlockFormatException | IOException e) {
                deadLetter(record, jobId, e, out);
            }
        }
        byJob.forEach((jobId, blocks) -> blocks.emit(jobId, out));
        if (gate != null) {
            gate.sent(byJob.values().stream().mapToInt(Blocks::count).sum());
        }
    }

    private static void requireValidJobId(ConsumerRecord<byte[], byte[]> record) throws RefusedRecord {
        String jobId = BlockHeaders.get(record.headers(), BlockHeaders.JOB_ID);
        if (jobId != null && !JobIds.isValid(jobId)) {
            throw new RefusedRecord.InvalidId("Header " + BlockHeaders.JOB_ID + ": " + JobIds.problem(jobId));
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String jobId, Exception e, BlockEmitter out) {
        DeadLetterRow letter = DeadLetterRow.of(InputRecords.describe(record), InputRecords.position(record),
                InputRecords.keyOrNull(record), STAGE, e, record.value());
        out.deadLetterBlock(jobId, seq(record), letter, declaredRows(record));
    }

    /** Blocks are named after the position of their first record: unique within the topic. */
    private static String seq(ConsumerRecord<byte[], byte[]> record) {
        return record.partition() + "@" + record.offset();
    }

    /** One job's rows of a poll, cut into blocks by rows and bytes at record boundaries. */
    private final class Blocks {
        private final List<String> seqs = new ArrayList<>();
        private final List<List<ImageRow>> blocks = new ArrayList<>();
        private long bytes;

        void add(String seq, List<ImageRow> rows) {
            List<ImageRow> current = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
            if (current == null || current.size() >= blockRows || bytes >= blockBytes) {
                current = new ArrayList<>();
                blocks.add(current);
                seqs.add(seq);
                bytes = 0;
            }
            current.addAll(rows);
            rows.forEach(row -> bytes += row.bytes().length);
        }

        int count() {
            return blocks.size();
        }

        void emit(String jobId, BlockEmitter out) {
            for (int i = 0; i < blocks.size(); i++) {
                out.emit(imagesTopic, jobId, seqs.get(i), ImageRow.SCHEMA, blocks.get(i),
                        row -> new DeadLetterRow.Identity(row.rowId(), row.source(), row.key()));
            }
        }
    }
}
