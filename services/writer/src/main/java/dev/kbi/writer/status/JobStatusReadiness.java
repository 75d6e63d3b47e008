package dev.kbi.writer.status;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The job-status app in {@code /q/health/ready}: its state as data, DOWN once it has failed or
 * stopped. Waiting for its topics or rebalancing stays UP: the writer's own work goes on meanwhile.
 */
@Readiness
@ApplicationScoped
public class JobStatusReadiness implements HealthCheck {

    @Inject
    JobStatusService service;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kbi-job-status").up();
        service.app().ifPresentOrElse(app -> {
            response.withData("state", app.state());
            if (!app.healthy()) {
                response.down();
            }
            if (app.failure() != null) {
                response.withData("failure", String.valueOf(app.failure().getMessage()));
            }
        }, () -> response.withData("state", "DISABLED"));
        return response.build();
    }
}
