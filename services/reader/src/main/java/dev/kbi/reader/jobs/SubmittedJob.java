package dev.kbi.reader.jobs;

/**
 * A job as the reader service that took it over HTTP sees it: whether it is being read, and how
 * reading ended. How far its rows have got (written, dead-lettered, SUCCEEDED...) is the job's
 * status, served by the writer ({@code GET /jobs/{id}} there).
 *
 * @param state QUEUED (waiting for a free reading slot), READING, ANNOUNCED (read to its end and its
 *     total published), CANCELLED (reading stopped on request; the rows read before are announced),
 *     FAILED (reading failed: see {@code error})
 * @param rowsAnnounced the total announced, once announced (the rows read before, when cancelled)
 */
public record SubmittedJob(String jobId, String input, String state, long submittedAtMillis, Long rowsAnnounced,
        String error) {

    static final String QUEUED = "QUEUED";
    static final String READING = "READING";
    static final String ANNOUNCED = "ANNOUNCED";
    static final String CANCELLED = "CANCELLED";
    static final String FAILED = "FAILED";
}
