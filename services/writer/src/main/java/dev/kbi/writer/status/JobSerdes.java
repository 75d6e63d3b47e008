package dev.kbi.writer.status;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.job.StageEvent;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * JSON serdes of the job records, in the encoding every other reader of the job topics uses
 * ({@link JobJson}). A null value stays null (tombstones); an unreadable record throws, and the
 * app's deserialization handler logs and skips it.
 */
final class JobSerdes {

    static final Serde<StageEvent> EVENT = json(StageEvent.class);
    static final Serde<JobAnnouncement> ANNOUNCEMENT = json(JobAnnouncement.class);
    static final Serde<JobUpdate> UPDATE = json(JobUpdate.class);
    static final Serde<JobTally> TALLY = json(JobTally.class);
    static final Serde<JobStatus> STATUS = json(JobStatus.class);

    private JobSerdes() {
    }

    static <T> Serde<T> json(Class<T> type) {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : JobJson.write(value),
                (topic, bytes) -> bytes == null ? null : JobJson.read(bytes, type));
    }
}
