package dev.kbi.writer.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads job statuses from the app's global store of the status topic (interactive queries): every
 * job, whichever instance aggregates it. A status appears there once the aggregating instance has
 * committed it to the status topic (a commit interval, 100 ms under exactly-once, after the event).
 *
 * @throws InvalidStateStoreException from every method while the store is not queryable (starting,
 *         rebalancing, stopped)
 */
public final class JobStatusQueries {

    /** Newest first: by the first row handled, or the announcement when no stage reported yet. */
    static final Comparator<JobStatus> NEWEST_FIRST = Comparator
            .comparingLong(JobStatusQueries::startMillis).reversed().thenComparing(JobStatus::jobId);

    private final KafkaStreams streams;

    JobStatusQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    /** The job's status, or empty when no event or announcement of it has been seen. */
    public Optional<JobStatus> find(String jobId) {
        return Optional.ofNullable(store().get(jobId));
    }

    /** At most {@code limit} jobs, newest first. */
    public List<JobStatus> list(int limit) {
        List<JobStatus> jobs = new ArrayList<>();
        try (KeyValueIterator<String, JobStatus> all = store().all()) {
            all.forEachRemaining(entry -> jobs.add(entry.value));
        }
        jobs.sort(NEWEST_FIRST);
        return jobs.subList(0, Math.min(limit, jobs.size()));
    }

    private ReadOnlyKeyValueStore<String, JobStatus> store() {
        return streams.store(StoreQueryParameters.fromNameAndType(JobStatusTopology.STATUSES,
                QueryableStoreTypes.keyValueStore()));
    }

    private static long startMillis(JobStatus job) {
        if (job.startedAtMillis() != null) {
            return job.startedAtMillis();
        }
        return job.announcedAtMillis() != null ? job.announcedAtMillis() : Long.MIN_VALUE;
    }
}
