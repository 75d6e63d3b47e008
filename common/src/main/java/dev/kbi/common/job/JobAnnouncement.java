package dev.kbi.common.job;

/**
 * Published by the reader on the jobs topic (key = job id, JSON value) once it has listed a job's
 * input, so downstream stages know when the job is complete: rows written plus rows dead-lettered
 * equal {@code totalRows}. Completion is decided from counts, never from timeouts.
 *
 * @param jobId the job's id
 * @param input what the reader read (directory or manifest)
 * @param totalRows how many rows the reader emitted for the job
 * @param announcedAtMillis when the reader finished emitting (epoch millis)
 */
public record JobAnnouncement(String jobId, String input, long totalRows, long announcedAtMillis) {
}
