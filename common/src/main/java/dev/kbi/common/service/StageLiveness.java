package dev.kbi.common.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness and readiness of a consuming service ({@code /q/health/live}, {@code /q/health/ready}):
 * DOWN once a stage worker has stopped on an error, so the orchestrator restarts the process and
 * its blocks go back to the group, and nothing routes work to it meanwhile. Where nothing restarts
 * on health, {@link StageFailureExit} ends the process after {@code kbi.stage.exit-after-failure}.
 */
@Liveness
@org.eclipse.microprofile.health.Readiness
@ApplicationScoped
public class StageLiveness implements HealthCheck {

    @Inject
    Instance<StageHost> hosts;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kbi-stage-workers").up();
        for (StageHost host : hosts) {
            host.stageRunner().filter(runner -> !runner.isHealthy()).ifPresent(
                    runner -> response.down().withData("failures", String.join("; ", runner.failures())));
        }
        return response.build();
    }
}
