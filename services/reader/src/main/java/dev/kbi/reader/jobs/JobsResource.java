package dev.kbi.reader.jobs;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * Jobs over HTTP on the reader service: {@code POST /jobs} (202, the job and its URL),
 * {@code GET /jobs}, {@code GET /jobs/{id}} (how reading went) and {@code DELETE /jobs/{id}} (stop
 * reading). See {@link JobSubmissions}.
 */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JobsResource {

    @Inject
    JobSubmissions jobs;

    @POST
    public Response submit(JobRequest request, @Context UriInfo uri) {
        SubmittedJob job = jobs.submit(request);
        return Response.accepted(job).location(uri.getAbsolutePathBuilder().path(job.jobId()).build()).build();
    }

    @GET
    public List<SubmittedJob> list() {
        return jobs.list();
    }

    @GET
    @Path("/{id}")
    public SubmittedJob get(@PathParam("id") String id) {
        return jobs.find(id).orElseThrow(() -> new NotFoundException("No job " + id + " was submitted here"));
    }

    @DELETE
    @Path("/{id}")
    public Response cancel(@PathParam("id") String id) {
        return Response.accepted(jobs.cancel(id)).build();
    }
}
