package dev.kbi.common.service;

import dev.kbi.common.config.StageConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * Exits the process with status 1 once its stage has been failed ({@link StageLiveness} DOWN) for
 * {@code kbi.stage.exit-after-failure} (see {@link FailureExit}): a process whose workers died would otherwise stay up doing nothing where
 * nothing restarts on health (Compose). Checked every second.
 */
@Startup
@ApplicationScoped
public class StageFailureExit {

    private static final Logger LOG = Logger.getLogger(StageFailureExit.class);

    @Inject
    StageConfig config;
    @Inject
    @org.eclipse.microprofile.health.Liveness // the health qualifiers replace @Default
    StageLiveness liveness;

    private ScheduledExecutorService watcher;

    @PostConstruct
    void start() {
        if (config.exitAfterFailure().isZero()) {
            return;
        }
        FailureExit exit = new FailureExit(config.exitAfterFailure());
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "kbi-stage-failure-exit");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(() -> {
            boolean healthy = liveness.call().getStatus() == HealthCheckResponse.Status.UP;
            if (exit.shouldExit(healthy, System.nanoTime())) {
                LOG.errorf("The stage has been failed for %s (kbi.stage.exit-after-failure): exiting with status 1 "
                        + "so that the process is restarted", config.exitAfterFailure());
                watcher.shutdown();
                Quarkus.asyncExit(1);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
