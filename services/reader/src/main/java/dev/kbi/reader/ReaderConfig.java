package dev.kbi.reader;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The reader's settings ({@code reader.*}). */
@ConfigMapping(prefix = "reader")
public interface ReaderConfig {

    /**
     * What to read at startup: a directory of images (searched recursively), a JSONL manifest
     * ({@code {"path": "..."}} per line) or a CSV manifest (a header naming a {@code path} column);
     * relative paths are resolved against the manifest's folder. Unset: the reader runs no job of
     * its own; it runs the ingest stage and takes jobs over HTTP.
     */
    Optional<Path> input();

    /** The job's id (1-128 characters of A-Z, a-z, 0-9, ., _, -); defaults to {@code job-<epoch millis>}. */
    Optional<String> jobId();

    /**
     * File extensions (lower case) taken from a directory: the formats the preprocessor decodes. Any
     * other file is left out, and counted and named in the job's status and manifest.
     */
    @WithDefault("jpg,jpeg,png,bmp,gif,tif,tiff")
    List<String> extensions();

    /**
     * Exit the process once the startup job is read and announced (0), or failed (1): for running
     * the reader as a batch job (a Kubernetes Job) rather than a service.
     */
    @WithDefault("false")
    boolean exitWhenDone();

    /** Rows per block at most. */
    @WithDefault("256")
    int blockRows();

    /** Target encoded bytes per block: a block is sent once its images reach this size. */
    @WithDefault("4194304")
    int blockBytes();

    /**
     * The only directories files are read from. Each listed path is resolved to its real path
     * (symlinks followed) and must lie under one of them, else it is dead-lettered unread
     * ({@link PathOutsideAllowedRoots}). Default: the input directory itself, or the manifest's folder.
     */
    Optional<List<Path>> allowedRoots();

    /** Files larger than this are dead-lettered without being read. */
    @WithDefault("52428800")
    long maxFileBytes();

    /**
     * Dead-lettered rows the job tolerates (Ray Data's {@code max_errored_blocks}, in rows); one more
     * and the job is FAILED. Unset: no limit by count.
     */
    Optional<Long> maxErroredRows();

    /** Share of the job's rows that may be dead-lettered (0.01 = 1%); above it the job is FAILED. Unset: none. */
    Optional<Double> maxErroredFraction();

    /** Jobs submitted over HTTP ({@code POST /jobs}). */
    JobsConfig jobs();

    /** {@code reader.jobs.*} */
    interface JobsConfig {

        /**
         * Jobs read at once; more wait in turn (QUEUED). Each holds one block and one transactional
         * producer while it reads.
         */
        @WithDefault("2")
        int maxRunning();
    }

    /** The ingest stage: records other systems produce to the input topic ({@code kbi.topics.input}). */
    IngestConfig ingest();

    /** {@code reader.ingest.*} */
    interface IngestConfig {

        /**
         * Run the ingest stage (consumer group {@code kbi.groups.ingest}) in this service. It runs only
         * in a reader started without {@code reader.input}: one started for a single job reads that
         * job and nothing else.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The job of input records that carry no {@code kbi-job-id} header: a continuous feed, whose
         * rows are written under this folder and counted in this job's status. Records with the header
         * belong to that job (announce its total on the jobs topic to have it completed).
         */
        @WithDefault("stream")
        String defaultJobId();
    }

    /** How far the reader may run ahead of the writer. */
    BackpressureConfig backpressure();

    /** {@code reader.backpressure.*} */
    interface BackpressureConfig {

        /** Off: the reader emits as fast as it reads (the topics buffer everything). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Budget in rows between the reader and the writer. Default: {@code blocks-per-stage} blocks
         * for each downstream stage (three: preprocessor, inference, writer), i.e. enough for each to have its next blocks
         * ready while it works on the current ones, and no more.
         */
        Optional<Long> maxRowsInFlight();

        /** The rows budget: {@link #maxRowsInFlight()}, else the default for {@code downstreamStages} stages. */
        default long maxRows(int blockRows, int downstreamStages) {
            return maxRowsInFlight().orElse((long) downstreamStages * blocksPerStage() * blockRows);
        }

        /**
         * Budget in bytes between the reader and the writer (as stored on the broker, from the
         * downstream stages' lag), on top of the rows budget. Unset: rows only.
         */
        Optional<Long> maxBytesInFlight();

        /**
         * Blocks per downstream stage in the default budget, counted as the lag counts them (offsets,
         * commit markers included). 32: a consumer takes up to 8 blocks per poll
         * ({@code max.poll.records}) and commits them together, so each of inference's 2 consumers
         * holds a poll's worth while it works and needs the next poll's worth queued behind it
         * (2 x 8 x 2); the reader's one-block transactions add a commit marker per block on the images
         * topic. Measured (load-tests {@code budget} scenario, 50k rows on 2 cores, throughput
         * against no backpressure): 4 blocks 0.56, 8 0.68, 16 0.79, 32 0.93.
         */
        @WithDefault("32")
        int blocksPerStage();

        /**
         * The low watermark: once over its budget, the reader resumes when what is in flight is at or
         * under this fraction of it (rows and bytes).
         */
        @WithDefault(Backpressure.Budget.DEFAULT_RESUME_AT)
        double resumeAt();

        /** How often the downstream lag is measured while waiting. */
        @WithDefault("PT0.2S")
        java.time.Duration checkInterval();
    }
}
