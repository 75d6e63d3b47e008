package dev.kbi.preprocessor;

import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.pipeline.Stage;
import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.rows.TensorRow;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.runtime.TransformHandler;
import dev.kbi.common.service.StageHost;
import dev.kbi.common.service.StageContext;
import dev.kbi.preprocessor.image.ImagePreprocessor;
import dev.kbi.preprocessor.image.TargetShape;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** The preprocessor service: images topic in, tensors topic out. */
@Startup
@ApplicationScoped
public class PreprocessorService implements StageHost {

    @Inject
    PreprocessorConfig config;
    @Inject
    StageContext stage;

    private final BlockCodec codec = new BlockCodec();
    private StageRunner runner;

    @PostConstruct
    void start() {
        TargetShape shape = new TargetShape(config.channels(), config.height(), config.width());
        ImagePreprocessor preprocessor = new ImagePreprocessor(shape, config.maxPixels());
        Pipeline pipeline = stage.pipeline();
        Stage descriptor = pipeline.stage(Pipeline.PREPROCESSOR);
        runner = stage.runner(descriptor,
                () -> new TransformHandler<>(descriptor.name(), codec, ImageRow.SCHEMA, TensorRow.SCHEMA,
                        pipeline.topics().tensors(), new PreprocessFunction(preprocessor, shape),
                        r -> new DeadLetterRow.Identity(r.rowId(), r.source(), r.key())),
                stage.metrics(descriptor.name()), codec);
        runner.start();
    }

    @Override
    public Optional<StageRunner> stageRunner() {
        return Optional.ofNullable(runner);
    }

    @PreDestroy
    void stop() {
        runner.close();
        codec.close();
    }
}
