package dev.kbi.writer.status;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /jobs}, {@code GET /jobs/{id}} and {@code GET /jobs/{id}/stats}: job statuses and stats as JSON, from the job-status app's store. */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    @Inject
    JobStatusService service;

    /** Up to {@code limit} jobs, newest first. */
    @GET
    public List<JobStatus> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        return queries().list(Math.max(0, limit));
    }

    /** One job; 404 when no event or announcement of it has been seen. */
    @GET
    @Path("/{id}")
    public JobStatus get(@PathParam("id") String id) {
        return queries().find(id).orElseThrow(() -> new NotFoundException("No job " + id));
    }

    /**
     * Where the job's time went, per stage, and its bottleneck ({@link JobStats}); 404 when the job is
     * unknown.
     */
    @GET
    @Path("/{id}/stats")
    public JobStats stats(@PathParam("id") String id) {
        return JobStats.of(get(id));
    }

    private JobStatusQueries queries() {
        return service.app().map(JobStatusApp::queries)
                .orElseThrow(() -> new ServiceUnavailableException("Job status is disabled (writer.job-status.enabled)"));
    }
}
