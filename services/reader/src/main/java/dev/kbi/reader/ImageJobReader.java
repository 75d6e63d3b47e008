package dev.kbi.reader;

import java.util.function.Supplier;
import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.runtime.BlockEmitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Reads one job: the listed files become blocks of {@link ImageRow}s on the images topic; files
 * that cannot or may not be read ({@link InputFiles}) become dead letters; finally the job's row
 * count is announced on the jobs topic so the writer can tell when the job is complete.
 *
 * <p>Each block, its dead letters and the job event counting its files are made final together
 * ({@link BlockCommit}: one Kafka transaction), so a reader restarted on the same job resumes at the
 * first file no committed block holds ({@link ReaderProgress}) and no row is sent twice.
 */
public final class ImageJobReader {

    private static final Logger LOG = Logger.getLogger(ImageJobReader.class);
    static final String STAGE = Pipeline.READER;

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
        Gate OPEN = blockBytes -> { };

        /** @param blockBytes the size of the block about to be sent (its images' bytes) */
        void awaitCapacity(long blockBytes) throws InterruptedException;
    }

    /** Makes each block with its dead letters and counts final as one unit. */
    public interface BlockCommit {
        /** Sends as they come, with no unit (tests, at-least-once). */
        BlockCommit NONE = new BlockCommit() {
            @Override
            public void begin() {
            }

            @Override
            public void commit() {
            }
        };

        void begin();

        /** Makes everything sent since {@link #begin()} final, or throws. */
        void commit();

        /** One Kafka transaction per block; the producer's transactions are initialized. */
        static BlockCommit transactional(Producer<byte[], byte[]> producer) {
            return new BlockCommit() {
                @Override
                public void begin() {
                    producer.beginTransaction();
                }

                @Override
                public void commit() {
                    producer.commitTransaction();
                }
            };
        }
    }

    private BlockCommit commit = BlockCommit.NONE;
    private java.util.function.BooleanSupplier cancelled = () -> false;

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

    /**
     * Stops reading once {@code cancelled} is true (asked before each file and each block): the rows
     * of the blocks sent by then are announced as a cancelled job.
     */
    ImageJobReader cancelledWhen(java.util.function.BooleanSupplier cancelled) {
        this.cancelled = cancelled;
        return this;
    }

    /** Commits every block and the announcement through {@code blockCommit}. */
    ImageJobReader committingWith(BlockCommit blockCommit) {
        this.commit = blockCommit;
        return this;
    }

    /** Emits every entry of the job, then announces its total; returns the announcement. */
    public JobAnnouncement read(String jobId, String input, List<InputListing.Entry> entries) {
        return read(jobId, input, entries.iterator(), 0, JobAnnouncement.ErrorLimit.UNLIMITED,
                () -> JobAnnouncement.SkippedFiles.NONE);
    }

    /** {@link #read(String, String, Iterator, int, JobAnnouncement.ErrorLimit)} over a list. */
    public JobAnnouncement read(String jobId, String input, List<InputListing.Entry> entries, int first,
            JobAnnouncement.ErrorLimit errorLimit) {
        return read(jobId, input, entries.iterator(), first, errorLimit, () -> JobAnnouncement.SkippedFiles.NONE);
    }

    /** {@link #read(String, String, Iterator, int, JobAnnouncement.ErrorLimit, Supplier)} over a listing. */
    public JobAnnouncement read(String jobId, String input, InputListing.Listing listing, int first,
            JobAnnouncement.ErrorLimit errorLimit) {
        return read(jobId, input, listing, first, errorLimit, listing::skipped);
    }

    /**
     * Emits the entries from index {@code first} on (those before were committed by an earlier run
     * of the same job and are only skipped), then announces the job's total with its error limit;
     * returns the announcement. The entries are taken one at a time: only one block is held.
     *
     * @param skipped the input's files left out, asked once every entry is taken (for the announcement)
     */
    public JobAnnouncement read(String jobId, String input, Iterator<InputListing.Entry> entries, int first,
            JobAnnouncement.ErrorLimit errorLimit, Supplier<JobAnnouncement.SkippedFiles> skipped) {
        if (first > 0) {
            LOG.infof("Job %s: resuming at file %d (the earlier ones are committed)", jobId, first);
        }
        List<ImageRow> block = new ArrayList<>();
        List<DeadLetterRow> failed = new ArrayList<>();
        long blockBytesSoFar = 0;
        long blockReadNanos = 0;
        int blockStart = first;
        int total = 0;
        boolean stopped = false;
        for (int i = 0; entries.hasNext(); i++) {
            if (cancelled.getAsBoolean()) {
                stopped = true;
                break;
            }
            InputListing.Entry entry = entries.next();
            total++;
            if (i < first) {
                continue;
            }
            String rowId = rowId(jobId, i);
            if (block.isEmpty() && failed.isEmpty()) {
                emitter.startJobWork(jobId);
            }
            long readStart = System.nanoTime();
            try {
                byte[] bytes = files.read(entry);
                block.add(new ImageRow(rowId, entry.source(), System.currentTimeMillis(), bytes));
                blockBytesSoFar += bytes.length;
            } catch (IOException | RuntimeException e) {
                failed.add(DeadLetterRow.of(rowId, entry.source(), STAGE, e, null));
            }
            blockReadNanos += System.nanoTime() - readStart;
            if (block.size() >= blockRows || blockBytesSoFar >= blockBytes) {
                if (cancelled.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                flushBlock(jobId, blockStart, block, blockBytesSoFar, blockReadNanos, failed);
                blockStart = i + 1;
                blockBytesSoFar = 0;
                blockReadNanos = 0;
            }
        }
        if (stopped) {
            // The rows of the block in hand were never sent: the job is the blocks sent before it.
            return announce(new JobAnnouncement(jobId, input, Math.max(blockStart, first), System.currentTimeMillis(),
                    errorLimit, JobAnnouncement.SkippedFiles.NONE, true));
        }
        flushBlock(jobId, blockStart, block, blockBytesSoFar, blockReadNanos, failed);
        if (first > total) {
            throw new IllegalStateException("Job " + jobId + ": earlier runs committed " + first + " files but "
                    + input + " now lists " + total + ": the input changed under the job");
        }
        JobAnnouncement announcement = new JobAnnouncement(jobId, input, total, System.currentTimeMillis(),
                errorLimit, skipped.get());
        if (announcement.skippedFiles().count() > 0) {
            LOG.warnf("Job %s: %s", jobId, announcement.skippedFiles().describe());
        }
        return announce(announcement);
    }

    private JobAnnouncement announce(JobAnnouncement announcement) {
        commit.begin();
        emitter.send(new ProducerRecord<>(jobsTopic, announcement.jobId().getBytes(StandardCharsets.UTF_8),
                JobJson.write(announcement)));
        emitter.flush();
        commit.commit();
        LOG.infof("Job %s: %d rows read from %s and announced%s", announcement.jobId(), announcement.totalRows(),
                announcement.input(), announcement.cancelled() ? ", cancelled" : "");
        return announcement;
    }

    /** Row ids are {@code <job>-<index in listing order>}: stable for the same input. */
    static String rowId(String jobId, int index) {
        return String.format("%s-%08d", jobId, index);
    }

    /**
     * Sends one block (named by the listing index of its first file, so a resumed run names blocks
     * the same way) with its dead letters and the event counting its files, as one commit.
     *
     * @param readNanos time spent reading the block's files: with the encoding, the reader's busy time
     */
    private void flushBlock(String jobId, int firstIndex, List<ImageRow> block, long blockBytes, long readNanos,
            List<DeadLetterRow> failed) {
        if (block.isEmpty() && failed.isEmpty()) {
            return;
        }
        String seq = Integer.toString(firstIndex);
        if (!block.isEmpty()) {
            try {
                gate.awaitCapacity(blockBytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for downstream capacity", e);
            }
        }
        commit.begin();
        int rows = block.size() + failed.size();
        emitter.countBlock(jobId, rows, blockBytes);
        long encodeStart = System.nanoTime();
        if (!block.isEmpty()) {
            emitter.emit(imagesTopic, jobId, seq, ImageRow.SCHEMA, List.copyOf(block),
                    r -> new DeadLetterRow.Identity(r.rowId(), r.source()));
        }
        emitter.countBusy(java.util.Map.of(jobId, (long) rows), readNanos + System.nanoTime() - encodeStart);
        emitter.deadLetter(jobId, seq, List.copyOf(failed));
        emitter.publishJobEvents();
        commit.commit();
        block.clear();
        failed.clear();
    }
}
