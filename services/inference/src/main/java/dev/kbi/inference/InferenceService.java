package dev.kbi.inference;

import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.pipeline.Stage;
import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.service.StageHost;
import dev.kbi.common.service.StageContext;
import dev.kbi.inference.batch.BatchingClassifier;
import dev.kbi.inference.model.BatchModel;
import dev.kbi.inference.model.DeviceSelection;
import dev.kbi.inference.model.EngineThreads;
import dev.kbi.inference.model.HeldModel;
import dev.kbi.inference.model.ModelDescriptor;
import dev.kbi.inference.model.ModelLoadException;
import dev.kbi.inference.model.NaiveClassifier;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The inference service: sets up the engine (threads, device), loads the model once, warms it up,
 * and only then starts consuming tensor blocks; all consumer threads feed one
 * {@link BatchingClassifier} holding the model. Readiness ({@link ModelReadiness}) follows the
 * model's state; a model that cannot be loaded leaves the service up but not ready, with the reason
 * in its health data.
 */
@Startup
@ApplicationScoped
public class InferenceService implements StageHost {

    private static final Logger LOG = Logger.getLogger(InferenceService.class);

    @Inject
    InferenceConfig config;
    @Inject
    StageContext stage;

    private final BlockCodec codec = new BlockCodec();
    private final AtomicReference<String> loadFailure = new AtomicReference<>();
    private volatile BatchModel classifier;
    private volatile BatchingClassifier batcher;
    private volatile StageRunner runner;

    @PostConstruct
    void start() {
        try {
            long started = System.nanoTime();
            BatchModel loaded = loadModel();
            classifier = loaded;
            LOG.infof("Model %s ready in %d ms (mode %s, batch %d)", loaded.descriptor().qualifiedName(),
                    (System.nanoTime() - started) / 1_000_000, config.mode(), config.batchSize());
        } catch (RuntimeException e) {
            loadFailure.set(e.getMessage());
            LOG.errorf(e, "The model could not be loaded; the service stays NOT READY and consumes nothing: %s",
                    e.getMessage());
            return;
        }
        batcher = BatchingClassifier.start(classifier, config.batchSize(), config.maxBatchWait(), config.workers(),
                new InferenceMetrics(stage.registry(), config.workers()));
        Gauge.builder("kbi.inference.queue.rows", batcher, BatchingClassifier::queuedRows)
                .description("Rows queued for the model").register(stage.registry());
        ModelDescriptor descriptor = classifier.descriptor();
        Pipeline pipeline = stage.pipeline();
        Stage inference = pipeline.stage(Pipeline.INFERENCE);
        runner = stage.runner(inference,
                () -> new InferenceHandler(inference.name(), codec, pipeline.topics().predictions(), descriptor,
                        batcher.newSource()),
                stage.metrics(inference.name()), codec);
        runner.start();
    }

    /**
     * Loads and warms up the model; in naive mode returns the per-batch reloader instead, after
     * that one load has validated the model.
     */
    private BatchModel loadModel() {
        // Before anything starts the engine: DJL reads the thread setting once, at engine start.
        int threads = config.intraOpThreads().isPresent()
                ? EngineThreads.configure(config.intraOpThreads().getAsInt())
                : EngineThreads.current();
        Device device = DeviceSelection.resolve(config.device(), Engine.getEngine("PyTorch").getGpuCount());
        HeldModel held = HeldModel.load(config.modelDir(), device, config.precision());
        if (held.precision() != config.precision()) {
            LOG.infof("inference.precision=%s applies on a GPU only; %s computes in %s", config.precision().key(),
                    device, held.precision().key());
        }
        LOG.infof("Model %s loaded from %s on %s, %s, %d intra-op thread(s)", held.descriptor().qualifiedName(),
                held.weights(), device, held.precision().key(), threads);
        try {
            warmUp(held);
        } catch (RuntimeException e) {
            held.close();
            throw new ModelLoadException(held.weights(), "fails on a batch of the input shape in model.json ("
                    + e.getMessage() + "): check input, normalize and output in model.json", e);
        }
        if (config.mode() == InferenceMode.POOLED) {
            return held;
        }
        held.close();
        LOG.warnf("inference.mode=naive: the model is RELOADED FOR EVERY MODEL BATCH (batch size %d). This is a "
                + "baseline for benchmarks only, many times slower than the default inference.mode=pooled; never "
                + "use it to serve.", config.batchSize());
        return new NaiveClassifier(held.descriptor(),
                () -> HeldModel.load(config.modelDir(), device, config.precision()));
    }

    private void warmUp(HeldModel loaded) {
        var in = loaded.descriptor().input();
        List<byte[]> zeros = Collections.nCopies(config.batchSize(), new byte[in.channels() * in.height() * in.width()]);
        for (int i = 0; i < Math.max(1, config.warmupBatches()); i++) {
            loaded.predict(zeros);
        }
    }

    @Override
    public Optional<StageRunner> stageRunner() {
        return Optional.ofNullable(runner);
    }

    /** The model in use (null until loaded). */
    BatchModel model() {
        return classifier;
    }

    boolean isModelReady() {
        return classifier != null;
    }

    String loadFailure() {
        return loadFailure.get();
    }

    @PreDestroy
    void stop() {
        if (runner != null) {
            runner.close();
        }
        if (batcher != null) {
            batcher.close();
        }
        if (classifier != null) {
            classifier.close();
        }
        codec.close();
    }
}
