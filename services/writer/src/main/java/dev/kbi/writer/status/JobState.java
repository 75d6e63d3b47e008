package dev.kbi.writer.status;

/** Where a job stands, decided from its counts alone (never from a timeout). */
public enum JobState {
    /** Not announced yet, or rows still in flight. */
    RUNNING,
    /** Every announced row is written or dead-lettered, and the dead letters are within the job's limit. */
    SUCCEEDED,
    /** Too many dead letters for the job's limit, or counts that cannot add up. */
    FAILED,
    /** Cancelled while it was read: every row read before is written or dead-lettered. */
    CANCELLED;

    public boolean terminal() {
        return this != RUNNING;
    }
}
