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
 */
public record JobAnnouncement(String jobId, String input, long totalRows, long announcedAtMillis,
        ErrorLimit errorLimit) {

    /** @throws IllegalArgumentException if {@code jobId} is not a valid job id ({@link JobIds}) */
    public JobAnnouncement {
        JobIds.require(jobId);
        errorLimit = errorLimit == null ? ErrorLimit.UNLIMITED : errorLimit;
    }

    /** An announcement of a job that tolerates any number of dead letters. */
    public JobAnnouncement(String jobId, String input, long totalRows, long announcedAtMillis) {
        this(jobId, input, totalRows, announcedAtMillis, ErrorLimit.UNLIMITED);
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
