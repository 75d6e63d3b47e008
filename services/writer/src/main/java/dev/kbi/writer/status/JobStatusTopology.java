package dev.kbi.writer.status;

import java.util.function.Consumer;
import dev.kbi.common.job.JobIds;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Job events + job announcements -> one {@link JobTally} per job -> its {@link JobStatus} on the
 * compacted job-status topic at every change. The status topic is also read back into a global
 * store ({@link #STATUSES}), so that every instance of the app answers for every job: with several
 * writer instances, each aggregates only the jobs of its own partitions.
 */
public final class JobStatusTopology {

    /** The store of the tallies, by job id: this instance's partitions only. */
    static final String TALLIES = "job-tallies";

    /** The global store of every job's latest status, by job id, from the status topic: what queries read. */
    public static final String STATUSES = "job-statuses";

    private JobStatusTopology() {
    }

    /**
     * @param eventsTopic the stages' {@code StageEvent}s (key = job id)
     * @param jobsTopic the reader's {@code JobAnnouncement}s (key = job id)
     * @param statusTopic where each job's status is published (key = job id)
     * @param onChange called with each new status of a job this instance aggregates, before it is
     *     published (in the stream thread: a failure stops the app)
     */
    public static Topology build(String eventsTopic, String jobsTopic, String statusTopic,
            Consumer<JobStatus> onChange) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, JobUpdate> events = builder
                .stream(eventsTopic, Consumed.with(Serdes.String(), JobSerdes.EVENT)).mapValues(JobUpdate::of);
        KStream<String, JobUpdate> announcements = builder
                .stream(jobsTopic, Consumed.with(Serdes.String(), JobSerdes.ANNOUNCEMENT)).mapValues(JobUpdate::of);
        events.merge(announcements)
                // Any producer may write to these topics: a record whose key is not the valid id of its job is left out.
                .filter((jobId, update) -> JobIds.isValid(jobId) && jobId.equals(update.jobId()))
                // The two topics may differ in partitions (jobs has one): through one topic keyed by job id,
                // a job's events and announcement reach the same task and store partition.
                .repartition(Repartitioned.<String, JobUpdate>as("job-updates")
                        .withKeySerde(Serdes.String()).withValueSerde(JobSerdes.UPDATE))
                .groupByKey(Grouped.with(Serdes.String(), JobSerdes.UPDATE))
                .aggregate(JobTally::empty, (jobId, update, tally) -> tally.apply(jobId, update),
                        // In memory: a few records per job; restored from the changelog on restart, no RocksDB files.
                        Materialized.<String, JobTally>as(Stores.inMemoryKeyValueStore(TALLIES))
                                .withKeySerde(Serdes.String()).withValueSerde(JobSerdes.TALLY))
                .toStream()
                .mapValues(JobStatus::of)
                .peek((jobId, status) -> onChange.accept(status))
                .to(statusTopic, Produced.with(Serdes.String(), JobSerdes.STATUS));
        builder.globalTable(statusTopic, Consumed.with(Serdes.String(), JobSerdes.STATUS),
                Materialized.<String, JobStatus>as(Stores.inMemoryKeyValueStore(STATUSES))
                        .withKeySerde(Serdes.String()).withValueSerde(JobSerdes.STATUS));
        return builder.build();
    }
}
