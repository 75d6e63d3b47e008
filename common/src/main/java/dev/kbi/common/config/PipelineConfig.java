package dev.kbi.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings every service shares: the topics that link the stages, the stages' consumer groups and
 * the block size limit. Every service reads all of them, so a topic or group renamed here is renamed
 * for the stage that uses it and for every other that watches it (the reader's backpressure, the
 * launcher); {@link dev.kbi.common.pipeline.Pipeline} turns them into stage descriptors.
 */
@ConfigMapping(prefix = "kbi")
public interface PipelineConfig {

    /** The pipeline's topics. */
    Topics topics();

    /** The consuming stages' consumer groups. */
    Groups groups();

    /**
     * The topics' {@code max.message.bytes}: blocks are split below it, a single row above it is
     * dead-lettered. Keep it equal to the broker/topic setting.
     */
    @WithDefault("8388608")
    int maxMessageBytes();

    /**
     * Consumer groups (override with {@code KBI_GROUPS_PREPROCESSOR}, ...). All instances of a stage
     * share its group; its lag is what the reader's backpressure and KEDA read.
     */
    interface Groups {

        /** The ingest stage's group (the reader service's consumers of the input topic). */
        @WithDefault("kbi-ingest")
        String ingest();

        /** The preprocessor's group. */
        @WithDefault("kbi-preprocessor")
        String preprocessor();

        /** The inference stage's group. */
        @WithDefault("kbi-inference")
        String inference();

        /** The writer's group. */
        @WithDefault("kbi-writer")
        String writer();
    }

    /** Topic names (override with {@code KBI_TOPICS_IMAGES}, ...). */
    interface Topics {

        /**
         * The public input: records other systems produce (raw images, JSON references to files,
         * Arrow blocks; see the README's contract), taken in by the reader service's ingest stage.
         */
        @WithDefault("kbi.input")
        String input();

        /** Encoded images, reader to preprocessor. */
        @WithDefault("kbi.images")
        String images();

        /** uint8 CHW tensors, preprocessor to inference. */
        @WithDefault("kbi.tensors")
        String tensors();

        /** Top-k predictions, inference to writer. */
        @WithDefault("kbi.predictions")
        String predictions();

        /**
         * Every written prediction as JSON (key = row id), in the writer's transactions: the public
         * output for other systems (consume with {@code isolation.level=read_committed}).
         */
        @WithDefault("kbi.results")
        String results();

        /** Job announcements (JSON, key = job id). */
        @WithDefault("kbi.jobs")
        String jobs();

        /** Rows and blocks that a stage could not process, with the reason. */
        @WithDefault("kbi.dead-letters")
        String deadLetters();

        /** Per-stage, per-job counts ({@link dev.kbi.common.job.StageEvent}), sent with each commit. */
        @WithDefault("kbi.job-events")
        String jobEvents();

        /** Each job's aggregated status (compacted, key = job id): what {@code GET /jobs} serves. */
        @WithDefault("kbi.job-status")
        String jobStatus();
    }
}
