package dev.kbi.reader.jobs;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobIds;
import dev.kbi.reader.AllowedRoots;
import dev.kbi.reader.ReaderConfig;
import dev.kbi.reader.ReaderService;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The jobs this reader service took over HTTP: each is read by {@link ReaderService#runJob} on one
 * of {@code reader.jobs.max-running} threads, in this JVM (no process per job). A job's input must
 * lie under {@code reader.allowed-roots}, which must be set: a caller can name any path. Cancelling
 * stops reading at the next file or block and announces the rows read so far as a cancelled job.
 */
@ApplicationScoped
public class JobSubmissions {

    private static final Logger LOG = Logger.getLogger(JobSubmissions.class);

    @Inject
    ReaderConfig config;
    @Inject
    ReaderService reader;

    private final Map<String, Submission> jobs = new LinkedHashMap<>();
    private ExecutorService executor;

    /** One submitted job; its fields change as it is read. */
    private static final class Submission {
        final String jobId;
        final String input;
        final long submittedAtMillis = System.currentTimeMillis();
        final AtomicBoolean cancel = new AtomicBoolean();
        volatile String state = SubmittedJob.QUEUED;
        volatile Long rowsAnnounced;
        volatile String error;

        Submission(String jobId, String input) {
            this.jobId = jobId;
            this.input = input;
        }

        SubmittedJob view() {
            return new SubmittedJob(jobId, input, state, submittedAtMillis, rowsAnnounced, error);
        }

        boolean active() {
            return state.equals(SubmittedJob.QUEUED) || state.equals(SubmittedJob.READING);
        }
    }

    @PostConstruct
    void start() {
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(config.jobs().maxRunning(),
                r -> new Thread(r, "kbi-reader-job-" + threads.incrementAndGet()));
    }

    /**
     * Takes a job: checks it, queues it, returns at once.
     *
     * @throws WebApplicationException 400 for a bad request, 403 for an input outside the allowed
     *     roots (or none set), 409 for a job id this service is reading now
     */
    public synchronized SubmittedJob submit(JobRequest request) {
        if (request == null || request.input() == null || request.input().isBlank()) {
            throw refused(Response.Status.BAD_REQUEST,
                    "The body needs \"input\": a directory or a .jsonl, .csv or .parquet manifest");
        }
        String jobId = request.jobId() == null ? "job-" + System.currentTimeMillis() : request.jobId();
        if (!JobIds.isValid(jobId)) {
            throw refused(Response.Status.BAD_REQUEST, "jobId " + JobIds.problem(jobId));
        }
        Path input = checkedInput(request.input());
        Submission existing = jobs.get(jobId);
        if (existing != null && existing.active()) {
            throw refused(Response.Status.CONFLICT, "Job " + jobId + " is " + existing.state + " here already");
        }
        Submission job = new Submission(jobId, input.toString());
        jobs.remove(jobId);
        jobs.put(jobId, job);
        JobAnnouncement.ErrorLimit defaults = reader.errorLimit();
        JobAnnouncement.ErrorLimit limit = new JobAnnouncement.ErrorLimit(
                Optional.ofNullable(request.maxErroredRows()).orElse(defaults.maxRows()),
                Optional.ofNullable(request.maxErroredFraction()).orElse(defaults.maxFraction()));
        executor.submit(() -> read(job, new ReaderService.JobSpec(jobId, input, limit, job.cancel::get)));
        LOG.infof("Job %s submitted over HTTP: %s", jobId, input);
        return job.view();
    }

    /** Every job taken since the service started, oldest first. */
    public synchronized List<SubmittedJob> list() {
        List<SubmittedJob> all = new ArrayList<>();
        jobs.values().forEach(job -> all.add(job.view()));
        return all;
    }

    public synchronized Optional<SubmittedJob> find(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).map(Submission::view);
    }

    /**
     * Stops reading the job at its next file or block; the rows read before are announced as a
     * cancelled job, which turns CANCELLED once they are through.
     *
     * @throws WebApplicationException 404 for a job this service did not take, 409 for one whose
     *     reading has ended
     */
    public synchronized SubmittedJob cancel(String jobId) {
        Submission job = jobs.get(jobId);
        if (job == null) {
            throw refused(Response.Status.NOT_FOUND, "No job " + JobIds.quote(jobId) + " was submitted here");
        }
        if (!job.active()) {
            throw refused(Response.Status.CONFLICT, "Job " + jobId + " is " + job.state + ": its reading has ended");
        }
        job.cancel.set(true);
        LOG.infof("Job %s: cancel requested", jobId);
        return job.view();
    }

    private void read(Submission job, ReaderService.JobSpec spec) {
        job.state = SubmittedJob.READING;
        try {
            JobAnnouncement announced = reader.runJob(spec);
            job.rowsAnnounced = announced.totalRows();
            job.state = announced.cancelled() ? SubmittedJob.CANCELLED : SubmittedJob.ANNOUNCED;
        } catch (RuntimeException e) {
            job.error = e.toString();
            job.state = SubmittedJob.FAILED;
        }
    }

    /** The request's input, resolved: an existing directory or file under the allowed roots. */
    private Path checkedInput(String given) {
        List<Path> roots = config.allowedRoots().orElseThrow(() -> refused(Response.Status.FORBIDDEN,
                "Jobs over HTTP are read only under reader.allowed-roots, and none is set on this service"));
        Path input = Path.of(given);
        if (!input.isAbsolute()) {
            throw refused(Response.Status.BAD_REQUEST, "input must be an absolute path, not " + JobIds.quote(given));
        }
        try {
            return new AllowedRoots(roots).resolve(input);
        } catch (dev.kbi.reader.PathOutsideAllowedRoots e) {
            throw refused(Response.Status.FORBIDDEN, e.getMessage());
        } catch (IOException e) {
            throw refused(Response.Status.BAD_REQUEST, "input " + JobIds.quote(given) + " cannot be read: " + e);
        }
    }

    private static WebApplicationException refused(Response.Status status, String message) {
        return new WebApplicationException(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message)).build());
    }

    @PreDestroy
    void stop() {
        // Jobs still reading stop with their transaction open: aborted, and resumed when submitted again.
        executor.shutdownNow();
    }
}
