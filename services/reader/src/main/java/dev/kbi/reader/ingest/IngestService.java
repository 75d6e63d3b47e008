package dev.kbi.reader.ingest;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.pipeline.Stage;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.service.StageContext;
import dev.kbi.common.service.StageHost;
import dev.kbi.reader.AllowedRoots;
import dev.kbi.reader.InputFiles;
import dev.kbi.reader.ReaderConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
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
        runner = stage.runner(descriptor, () -> new IngestHandler(inputs, pipeline.topics().images(), defaultJobId,
                config.blockRows(), config.blockBytes()), stage.metrics(descriptor.name()), codec);
        runner.start();
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
        codec.close();
    }
}
