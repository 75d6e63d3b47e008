package dev.kbi.writer.status;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The job-status app's settings ({@code writer.job-status.*}). */
@ConfigMapping(prefix = "writer.job-status")
public interface JobStatusConfig {

    /** Run the job-status Streams app and serve {@code /jobs} in this writer. */
    @WithDefault("true")
    boolean enabled();

    /** Kafka Streams {@code application.id}: its consumer group, transactional ids and internal topic prefix. */
    @WithDefault("kbi-job-status")
    String applicationId();

    /** Kafka Streams {@code state.dir} (locks and checkpoints; the store itself is in memory). */
    Optional<Path> stateDir();
}
