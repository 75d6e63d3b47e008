package dev.kbi.writer;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.pipeline.Stage;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.service.StageContext;
import dev.kbi.common.service.StageHost;
import dev.kbi.writer.status.JobFinished;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * The writer service: predictions and dead letters in, Parquet files per job out, and each job's
 * manifest ({@code _SUCCESS} or {@code _FAILED}) once the job status says the job is finished.
 */
@Startup
@ApplicationScoped
public class WriterService implements StageHost {

    @Inject
    WriterConfig config;
    @Inject
    StageContext stage;

    private final BlockCodec codec = new BlockCodec();
    private volatile JobManifests manifests;
    private StageRunner runner;

    @PostConstruct
    void start() {
        JobFolders folders = new JobFolders(config.outputDir());
        manifests = new JobManifests(folders);
        Pipeline pipeline = stage.pipeline();
        Stage writer = pipeline.stage(Pipeline.WRITER);
        StageMetrics metrics = stage.metrics(writer.name());
        Timer rowLatency = Timer.builder("kbi.writer.row.latency")
                .description("Time from the reader reading a row to the writer writing its prediction")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1)).register(stage.registry());
        runner = stage.runner(writer,
                () -> new ParquetSinkHandler(codec, pipeline.topics().predictions(),
                        config.results() ? pipeline.topics().results() : null, folders, config, metrics, rowLatency),
                metrics, codec);
        runner.start();
    }

    /**
     * A job's status turned terminal (from this instance's job-status app): its manifest is written
     * now. CDI creates this bean, and runs {@link #start()}, before it delivers the first event to it.
     */
    void onJobFinished(@Observes JobFinished finished) {
        manifests.write(finished.status());
    }

    @Override
    public Optional<StageRunner> stageRunner() {
        return Optional.ofNullable(runner);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        runner.close();
        codec.close();
    }
}
