package dev.kbi.writer;

import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.pipeline.Stage;
import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.config.PipelineConfig;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.service.StageHost;
import dev.kbi.common.service.StageContext;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * The writer service: predictions and dead letters in, Parquet files per job out, and each job's
 * {@code _SUCCESS} manifest once its counts add up.
 */
@Startup
@ApplicationScoped
public class WriterService implements StageHost {

    @Inject
    WriterConfig config;
    @Inject
    StageContext stage;

    private final BlockCodec codec = new BlockCodec();
    private JobLedger ledger;
    private JobAnnouncementListener announcements;
    private StageRunner runner;

    @PostConstruct
    void start() {
        ledger = new JobLedger(config.outputDir());
        Pipeline pipeline = stage.pipeline();
        Stage writer = pipeline.stage(Pipeline.WRITER);
        announcements = new JobAnnouncementListener(stage.kafka(), pipeline.topics().jobs(), ledger);
        announcements.start();
        StageMetrics metrics = stage.metrics(writer.name());
        runner = stage.runner(writer,
                () -> new ParquetSinkHandler(codec, pipeline.topics().predictions(), ledger, config, metrics),
                metrics, codec);
        runner.start();
    }

    /** The job ledger (which jobs are complete). */
    public JobLedger ledger() {
        return ledger;
    }

    @Override
    public Optional<StageRunner> stageRunner() {
        return Optional.ofNullable(runner);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        runner.close();
        announcements.close();
        codec.close();
    }
}
