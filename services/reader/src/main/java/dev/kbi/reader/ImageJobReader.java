package dev.kbi.reader;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.runtime.BlockEmitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Reads one job: the listed files become blocks of {@link ImageRow}s on the images topic; files
 * that cannot or may not be read ({@link InputFiles}) become dead letters; finally the job's row
 * count is announced on the jobs topic so the writer can tell when the job is complete.
 */
public final class ImageJobReader {

    private static final Logger LOG = Logger.getLogger(ImageJobReader.class);
    static final String STAGE = "reader";

    private final BlockEmitter emitter;
    private final String imagesTopic;
    private final String jobsTopic;
    private final int blockRows;
    private final int blockBytes;
    private final InputFiles files;
    private final Gate gate;

    /** Asked before each block is sent; returns when the block may go. */
    @FunctionalInterface
    public interface Gate {
        /** No flow control. */
        Gate OPEN = () -> { };

        void awaitCapacity() throws InterruptedException;
    }

    ImageJobReader(BlockEmitter emitter, String imagesTopic, String jobsTopic, int blockRows, int blockBytes,
            InputFiles files) {
        this(emitter, imagesTopic, jobsTopic, blockRows, blockBytes, files, Gate.OPEN);
    }

    ImageJobReader(BlockEmitter emitter, String imagesTopic, String jobsTopic, int blockRows, int blockBytes,
            InputFiles files, Gate gate) {
        this.gate = gate;
        this.emitter = emitter;
        this.imagesTopic = imagesTopic;
        this.jobsTopic = jobsTopic;
        this.blockRows = blockRows;
        this.blockBytes = blockBytes;
        this.files = files;
    }

    /** Emits every entry of the job, then announces its total; returns the announcement. */
    public JobAnnouncement read(String jobId, String input, List<InputListing.Entry> entries) {
        List<ImageRow> block = new ArrayList<>();
        List<DeadLetterRow> failed = new ArrayList<>();
        long blockBytesSoFar = 0;
        int blockSeq = 0;
        for (int i = 0; i < entries.size(); i++) {
            InputListing.Entry entry = entries.get(i);
            String rowId = rowId(jobId, i);
            try {
                byte[] bytes = files.read(entry);
                block.add(new ImageRow(rowId, entry.source(), System.currentTimeMillis(), bytes));
                blockBytesSoFar += bytes.length;
            } catch (IOException | RuntimeException e) {
                failed.add(DeadLetterRow.of(rowId, entry.source(), STAGE, e, null));
            }
            if (block.size() >= blockRows || blockBytesSoFar >= blockBytes) {
                flushBlock(jobId, blockSeq++, block, failed);
                blockBytesSoFar = 0;
            }
        }
        flushBlock(jobId, blockSeq, block, failed);
        JobAnnouncement announcement = new JobAnnouncement(jobId, input, entries.size(), System.currentTimeMillis());
        emitter.send(new ProducerRecord<>(jobsTopic, jobId.getBytes(StandardCharsets.UTF_8),
                JobJson.write(announcement)));
        emitter.flush();
        LOG.infof("Job %s: %d rows read from %s and announced", jobId, entries.size(), input);
        return announcement;
    }

    /** Row ids are {@code <job>-<index in listing order>}: stable for the same input. */
    static String rowId(String jobId, int index) {
        return String.format("%s-%08d", jobId, index);
    }

    private void flushBlock(String jobId, int blockSeq, List<ImageRow> block, List<DeadLetterRow> failed) {
        String seq = Integer.toString(blockSeq);
        if (!block.isEmpty()) {
            try {
                gate.awaitCapacity();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for downstream capacity", e);
            }
            emitter.emit(imagesTopic, jobId, seq, ImageRow.SCHEMA, List.copyOf(block),
                    r -> new DeadLetterRow.Identity(r.rowId(), r.source()));
        }
        emitter.deadLetter(jobId, seq, List.copyOf(failed));
        block.clear();
        failed.clear();
    }
}
