package dev.kbi.reader.ingest;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.pipeline.Stage;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.service.StageContext;
import dev.kbi.common.service.StageHost;
import dev.kbi.reader.AllowedRoots;
import dev.kbi.reader.Backpressure;
import dev.kbi.reader.InputFiles;
import dev.kbi.reader.ReaderConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import dev.kbi.common.lag.PipelineBacklog;
import dev.kbi.common.runtime.KafkaClients;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jboss.logging.Logger;

/**
 * Runs the ingest stage in the reader service (see {@link IngestHandler}): the input topic in, the
 * images topic out, in consumer group {@code kbi.groups.ingest}, exactly once like every stage.
 */
@Startup
@ApplicationScoped
public class IngestService implements StageHost {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    @Inject
    ReaderConfig config;
    @Inject
    StageContext stage;

    private final BlockCodec codec = new BlockCodec();
    private StageRunner runner;
    private Admin admin;

    @PostConstruct
    void start() {
        if (!config.ingest().enabled() || config.input().isPresent()) {
            LOG.infof("Ingest stage not started: %s", config.input().isPresent()
                    ? "this reader was started for one job (reader.input)" : "reader.ingest.enabled=false");
            return;
        }
        Pipeline pipeline = stage.pipeline();
        Stage descriptor = pipeline.stage(Pipeline.INGEST);
        InputFiles files = config.allowedRoots()
                .map(roots -> new InputFiles(new AllowedRoots(roots), config.maxFileBytes())).orElse(null);
        if (files == null) {
            LOG.warn("No reader.allowed-roots: file references on the input topic will be dead-lettered");
        }
        InputRecords inputs = new InputRecords(codec, files, config.maxFileBytes());
        String defaultJobId = config.ingest().defaultJobId();
        DownstreamGate gate = gate(pipeline);
        // Input records are single rows: a poll takes up to a block's worth (blocks poll 8 at a time).
        Map<String, String> clients = Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                Integer.toString(config.blockRows()));
        runner = stage.runner(descriptor, () -> new IngestHandler(inputs, pipeline.topics().images(), defaultJobId,
                config.blockRows(), config.blockBytes(), gate), stage.metrics(descriptor.name()), codec, clients);
        runner.start();
    }

    /** Backpressure with the reader's budget ({@code reader.backpressure.*}), or null when it is off. */
    private DownstreamGate gate(Pipeline pipeline) {
        ReaderConfig.BackpressureConfig bp = config.backpressure();
        if (!bp.enabled()) {
            return null;
        }
        List<Stage> downstream = pipeline.downstreamOf(Pipeline.INGEST);
        long maxRows = bp.maxRows(config.blockRows(), downstream.size());
        Backpressure.Budget budget = Backpressure.Budget.of(bp, maxRows, config.blockRows());
        // Not "kbi-ingest-lag": the stage's own lag monitor has that client id.
        admin = KafkaClients.admin(stage.kafka(), "kbi-ingest-backpressure");
        PipelineBacklog backlog = PipelineBacklog.of(admin, downstream);
        LOG.infof("Ingest backpressure: at most %d blocks (%d rows) in flight downstream", budget.maxBlocks(), maxRows);
        return new DownstreamGate(backlog::inFlight, budget, bp.checkInterval(), stage.registry());
    }

    @Override
    public Optional<StageRunner> stageRunner() {
        return Optional.ofNullable(runner);
    }

    @PreDestroy
    void stop() {
        if (runner != null) {
            runner.close();
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
        }
        codec.close();
    }
}
