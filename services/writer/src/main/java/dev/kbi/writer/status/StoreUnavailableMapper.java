package dev.kbi.writer.status;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/** A store that is not queryable yet (starting, rebalancing) or any more (stopped): 503, try again. */
@Provider
public class StoreUnavailableMapper implements ExceptionMapper<InvalidStateStoreException> {

    @Override
    public Response toResponse(InvalidStateStoreException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                .type(MediaType.TEXT_PLAIN).entity("Job status not available yet: " + e.getMessage()).build();
    }
}
