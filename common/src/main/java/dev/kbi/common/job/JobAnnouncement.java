package dev.kbi.common.job;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Published by the reader on the jobs topic (key = job id, JSON value) once it has listed a job's
 * input, so downstream stages know when the job is complete: rows written plus rows dead-lettered
 * equal {@code totalRows}. Completion is decided from counts, never from timeouts.
 *
 * @param jobId the job's id
 * @param input what the reader read (directory or manifest)
 * @param totalRows how many rows the reader emitted for the job
 * @param announcedAtMillis when the reader finished emitting (epoch millis)
 * @param errorLimit how many dead-lettered rows the job tolerates before it is FAILED
 * @param skippedFiles files of the input left out, not being images by their extension: no row of
 *     the job, but named in its status and manifest, so nothing is left out silently
 * @param cancelled the job was cancelled while it was read: {@code totalRows} are the rows read
 *     before, and the job is CANCELLED (not SUCCEEDED) once they are all written or dead-lettered
 */
public record JobAnnouncement(String jobId, String input, long totalRows, long announcedAtMillis,
        ErrorLimit errorLimit, SkippedFiles skippedFiles, boolean cancelled) {

    /** An announcement of a job read to its end. */
    public JobAnnouncement(String jobId, String input, long totalRows, long announcedAtMillis, ErrorLimit errorLimit,
            SkippedFiles skippedFiles) {
        this(jobId, input, totalRows, announcedAtMillis, errorLimit, skippedFiles, false);
    }

    /** @throws IllegalArgumentException if {@code jobId} is not a valid job id ({@link JobIds}) */
    public JobAnnouncement {
        JobIds.require(jobId);
        errorLimit = errorLimit == null ? ErrorLimit.UNLIMITED : errorLimit;
        skippedFiles = skippedFiles == null ? SkippedFiles.NONE : skippedFiles;
    }

    /** An announcement of a job whose input left nothing out. */
    public JobAnnouncement(String jobId, String input, long totalRows, long announcedAtMillis, ErrorLimit errorLimit) {
        this(jobId, input, totalRows, announcedAtMillis, errorLimit, SkippedFiles.NONE);
    }

    /** An announcement of a job that tolerates any number of dead letters. */
    public JobAnnouncement(String jobId, String input, long totalRows, long announcedAtMillis) {
        this(jobId, input, totalRows, announcedAtMillis, ErrorLimit.UNLIMITED);
    }

    /**
     * Files of a job's input directory left out because their extension is not one the reader takes
     * ({@code reader.extensions}): how many, and the first {@value #MAX_EXAMPLES} (paths relative to
     * the input).
     */
    public record SkippedFiles(long count, List<String> examples) {

        public static final SkippedFiles NONE = new SkippedFiles(0, List.of());
        public static final int MAX_EXAMPLES = 5;

        public SkippedFiles {
            examples = examples == null ? List.of() : List.copyOf(examples);
        }

        /** "3 files left out by extension (not in reader.extensions): a.txt, b.svg, c.webp", or null for none. */
        public String describe() {
            if (count == 0) {
                return null;
            }
            return count + (count == 1 ? " file" : " files") + " left out by extension (not in reader.extensions): "
                    + String.join(", ", examples) + (count > examples.size() ? ", ..." : "");
        }
    }

    /**
     * Ray Data's {@code max_errored_blocks}, in rows: the job FAILS once its dead-lettered rows exceed
     * {@code maxRows}, or their share of {@code totalRows} exceeds {@code maxFraction}; a negative
     * value means no limit of that kind.
     */
    public record ErrorLimit(long maxRows, double maxFraction) {

        public static final ErrorLimit UNLIMITED = new ErrorLimit(-1, -1);

        /** Whether {@code deadLettered} rows of a job of {@code totalRows} rows pass the limit. */
        public boolean exceededBy(long deadLettered, long totalRows) {
            boolean overCount = maxRows >= 0 && deadLettered > maxRows;
            boolean overFraction = maxFraction >= 0 && totalRows > 0 && (double) deadLettered / totalRows > maxFraction;
            return overCount || overFraction;
        }

        /**
         * The sentence for a job that went over the limit, the same in the job status and the
         * {@code _FAILED} manifest: "Too many errors: 3 of 100 rows dead-lettered, over max-errored-rows 2 rows".
         */
        public String tooManyErrors(long deadLettered, long totalRows) {
            return String.format("Too many errors: %d of %d rows dead-lettered, over max-errored-rows %s", deadLettered,
                    totalRows, describe());
        }

        /** "1 row", "5 rows", "2.5% of the rows", both joined by "or", or "unlimited". */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (maxRows >= 0) {
                parts.add(maxRows + (maxRows == 1 ? " row" : " rows"));
            }
            if (maxFraction >= 0) {
                String percent = BigDecimal.valueOf(maxFraction).movePointRight(2).stripTrailingZeros().toPlainString();
                parts.add(percent + "% of the rows");
            }
            return parts.isEmpty() ? "unlimited" : String.join(" or ", parts);
        }
    }
}
