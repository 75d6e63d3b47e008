package dev.kbi.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * A job's status as the writer serves it ({@code GET /jobs/{id}}), read for the launcher's progress
 * line and summary: the job's own counts, summed from the stages' committed events, so they never
 * mix in another job's rows or records that belong to no job.
 */
final class JobStatusView {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Before the writer knows the job: every count zero. */
    static final JobStatusView NONE = new JobStatusView(JSON.createObjectNode());

    private final JsonNode status;

    private JobStatusView(JsonNode status) {
        this.status = status;
    }

    /** The status in {@code json}, or empty when it is not a status. */
    static Optional<JobStatusView> parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node != null && node.has("state") ? Optional.of(new JobStatusView(node)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    String state() {
        return status.path("state").asText("RUNNING");
    }

    long rowsDeadLettered() {
        return status.path("rowsDeadLettered").asLong();
    }

    /** The job's rows, once the reader has read them all and announced the total; -1 before. */
    long totalRows() {
        return status.path("announcedAtMillis").isNumber() ? status.path("totalRows").asLong() : -1;
    }

    /** Rows the stage sent to the dead letters for this job. */
    long rowsDeadLettered(String stage) {
        return stage(stage).path("rowsDeadLettered").asLong();
    }

    /** Rows the stage passed on (the reader: emitted; the writer: written) for this job. */
    long rowsOut(String stage) {
        return stage(stage).path("rowsOut").asLong();
    }

    /**
     * The stage's rows per second for this job: its rows over the time from the job's first row
     * anywhere to the stage's last commit, both from the events' own times; NaN within 0.2 s.
     */
    double rowsPerSecond(String stage) {
        JsonNode counts = stage(stage);
        if (!counts.has("lastAtMillis") || !status.path("startedAtMillis").isNumber()) {
            return Double.NaN;
        }
        double seconds = (counts.path("lastAtMillis").asLong() - status.path("startedAtMillis").asLong()) / 1e3;
        return seconds >= 0.2 ? counts.path("rowsOut").asLong() / seconds : Double.NaN;
    }

    private JsonNode stage(String stage) {
        return status.path("stages").path(stage);
    }
}
