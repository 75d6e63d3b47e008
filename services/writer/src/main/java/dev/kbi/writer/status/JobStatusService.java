package dev.kbi.writer.status;

import jakarta.enterprise.event.Event;
import dev.kbi.common.config.PipelineConfig;
import dev.kbi.common.runtime.KafkaClients;
import dev.kbi.common.service.StageContext;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the job-status app in the writer service unless {@code writer.job-status.enabled=false}; its
 * own bean, so the writer's stage and the app start and stop independently. Each terminal status of
 * a job it aggregates is fired as a {@link JobFinished} event (the writer writes the job's manifest).
 */
@Startup
@ApplicationScoped
public class JobStatusService {

    @Inject
    JobStatusConfig config;
    @Inject
    StageContext stage;
    @Inject
    dev.kbi.common.config.StageConfig stageConfig;
    @Inject
    Event<JobFinished> finished;

    private JobStatusApp app;

    @PostConstruct
    void start() {
        if (!config.enabled()) {
            return;
        }
        Map<String, String> kafka = stage.kafka();
        PipelineConfig.Topics names = stage.pipeline().topics();
        app = new JobStatusApp(new JobStatusApp.Topics(names.jobEvents(), names.jobs(), names.jobStatus()),
                JobStatusStreamsConfig.withInstanceId(JobStatusStreamsConfig.of(kafka, config.applicationId(),
                        config.stateDir().orElse(null)), stageConfig.instanceId().orElse(null)),
                KafkaClients.admin(kafka, config.applicationId() + "-topics"), this::onChange);
        app.start();
    }

    /** Tells the observers (the manifest writer) of each terminal status; synchronous, so their failure is the app's. */
    private void onChange(JobStatus status) {
        if (status.state().terminal()) {
            finished.fire(new JobFinished(status));
        }
    }

    /** The running app; empty when disabled. */
    public Optional<JobStatusApp> app() {
        return Optional.ofNullable(app);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }
}
