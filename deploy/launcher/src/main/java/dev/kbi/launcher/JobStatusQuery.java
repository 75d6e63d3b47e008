package dev.kbi.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** Reads a job's status from the writer's {@code GET /jobs/{id}} once it is final. */
final class JobStatusQuery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobStatusQuery() {
    }

    /**
     * The job's status JSON once its state is SUCCEEDED, FAILED or CANCELLED; the last answer (or null, when the
     * writer serves no job status) if that takes longer than {@code timeout}.
     */
    static String await(ServiceProcess writer, String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            Optional<String> body = writer.getOk("/jobs/" + jobId);
            if (body.isPresent()) {
                last = body.get();
                if (isFinal(last)) {
                    return last;
                }
            }
            Thread.sleep(250);
        }
        return last;
    }

    static boolean isFinal(String json) {
        String state = field(json, "state");
        return "SUCCEEDED".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
    }

    /** A top-level text field of the status, or null. */
    static String field(String json, String name) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(json).path(name);
            return node.isTextual() ? node.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
