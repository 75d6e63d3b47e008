package dev.kbi.reader.jobs;

/**
 * The body of {@code POST /jobs}: what to read and how.
 *
 * @param input a directory of images (searched recursively) or a JSONL manifest, on the reader's
 *     file system, under {@code reader.allowed-roots}
 * @param jobId the job's id (1-128 characters of A-Z, a-z, 0-9, ., _, -); null: {@code job-<epoch millis>}
 * @param maxErroredRows dead-lettered rows the job tolerates; null: the service's {@code reader.max-errored-rows}
 * @param maxErroredFraction share of the rows that may be dead-lettered; null: {@code reader.max-errored-fraction}
 */
public record JobRequest(String input, String jobId, Long maxErroredRows, Double maxErroredFraction) {
}
