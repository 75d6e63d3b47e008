package dev.kbi.reader;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/** {@code /q/health/live}: DOWN with the reason when the startup job failed to be read. */
@Liveness
@ApplicationScoped
public class ReaderJobLiveness implements HealthCheck {

    @Inject
    ReaderService reader;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kbi-reader-job").up();
        var job = reader.currentJob();
        if (job != null && job.isCompletedExceptionally()) {
            response.down().withData("error", job.handle((ok, error) -> String.valueOf(error)).join());
        }
        return response.build();
    }
}
