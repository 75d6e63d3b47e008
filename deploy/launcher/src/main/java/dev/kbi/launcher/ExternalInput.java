package dev.kbi.launcher;

/**
 * Input produced straight to the pipeline's images topic by another system, instead of the reader
 * service: it must send image blocks (Arrow, {@code kbi.image.v1}) and announce the job's row count
 * on the jobs topic, as the reader would.
 */
@FunctionalInterface
public interface ExternalInput {

    /** Produces the whole job to the broker at {@code bootstrapServers}. */
    void produce(String bootstrapServers, String jobId) throws Exception;
}
