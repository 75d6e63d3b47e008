package dev.kbi.writer.status;

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
 * own bean, so the writer's stage and the app start and stop independently.
 */
@Startup
@ApplicationScoped
public class JobStatusService {

    @Inject
    JobStatusConfig config;
    @Inject
    StageContext stage;

    private JobStatusApp app;

    @PostConstruct
    void start() {
        if (!config.enabled()) {
            return;
        }
        Map<String, String> kafka = stage.kafka();
        PipelineConfig.Topics names = stage.pipeline().topics();
        app = new JobStatusApp(new JobStatusApp.Topics(names.jobEvents(), names.jobs(), names.jobStatus()),
                JobStatusStreamsConfig.of(kafka, config.applicationId(), config.stateDir().orElse(null)),
                KafkaClients.admin(kafka, config.applicationId() + "-topics"));
        app.start();
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
