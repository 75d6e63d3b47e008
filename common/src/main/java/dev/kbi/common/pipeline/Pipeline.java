package dev.kbi.common.pipeline;

import dev.kbi.common.config.PipelineConfig;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.common.rows.TensorRow;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stages of the pipeline in order, from source to sink, each with its group and topics, and
 * the control topics they share. The one place that says which stage reads and writes what: the
 * services, the reader's backpressure, the launcher and the benchmarks all take stages from here,
 * and the names come from {@link PipelineConfig} (so a group or topic renamed there is renamed for
 * every part that uses it).
 */
public final class Pipeline {

    public static final String INGEST = "ingest";
    public static final String READER = "reader";
    public static final String PREPROCESSOR = "preprocessor";
    public static final String INFERENCE = "inference";
    public static final String WRITER = "writer";

    private final PipelineConfig config;
    private final List<Stage> stages;

    private Pipeline(PipelineConfig config) {
        this.config = config;
        PipelineConfig.Topics topics = config.topics();
        PipelineConfig.Groups groups = config.groups();
        String dead = topics.deadLetters();
        // Two sources feed the images topic: the reader's jobs (files) and its ingest stage (records
        // other systems produce to the input topic), both in the reader service.
        this.stages = List.of(
                new Stage(INGEST, READER, groups.ingest(), List.of(topics.input()), List.of(topics.images(), dead),
                        ImageRow.SCHEMA.name(), true),
                new Stage(READER, READER, null, List.of(), List.of(topics.images(), dead), ImageRow.SCHEMA.name(),
                        true),
                new Stage(PREPROCESSOR, PREPROCESSOR, groups.preprocessor(), List.of(topics.images()),
                        List.of(topics.tensors(), dead), TensorRow.SCHEMA.name(), true),
                new Stage(INFERENCE, INFERENCE, groups.inference(), List.of(topics.tensors()),
                        List.of(topics.predictions(), dead), PredictionRow.SCHEMA.name(), true),
                new Stage(WRITER, WRITER, groups.writer(), List.of(topics.predictions(), dead),
                        List.of(topics.results()), null, true));
    }

    /** The pipeline a service's configuration describes. */
    public static Pipeline of(PipelineConfig config) {
        return new Pipeline(config);
    }

    /**
     * The pipeline that services given {@code environment} (environment variables such as
     * {@code KBI_TOPICS_IMAGES}; anything else is ignored) run, with the same defaults: for
     * programs that start services rather than run in one (the launcher, the benchmarks).
     */
    public static Pipeline fromEnvironment(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, EnvConfigSource.ORDINAL))
                .withMapping(PipelineConfig.class)
                .build();
        return new Pipeline(config.getConfigMapping(PipelineConfig.class));
    }

    /** The pipeline with every setting at its default. */
    public static Pipeline defaults() {
        return fromEnvironment(Map.of());
    }

    /** The stages from source to sink. */
    public List<Stage> stages() {
        return stages;
    }

    /** The stage named {@code name}. */
    public Stage stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No stage " + name + " in " + names()));
    }

    /**
     * The stages that consume what {@code name} produces, directly or through others, in pipeline
     * order: what lies between it and the sink (its dead letters' consumer included).
     */
    public List<Stage> downstreamOf(String name) {
        Set<String> reached = new LinkedHashSet<>();
        Set<String> topics = new LinkedHashSet<>(stage(name).outputTopics());
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Stage stage : stages) {
                if (!reached.contains(stage.name()) && stage.inputTopics().stream().anyMatch(topics::contains)) {
                    reached.add(stage.name());
                    topics.addAll(stage.outputTopics());
                    grew = true;
                }
            }
        }
        return stages.stream().filter(s -> reached.contains(s.name())).toList();
    }

    /** The stages that consume (every one with a group), from source to sink. */
    public List<Stage> consumers() {
        return stages.stream().filter(Stage::consumes).toList();
    }

    /** Every topic a stage reads or writes blocks on, in pipeline order, each once. */
    public List<String> dataTopics() {
        Set<String> topics = new LinkedHashSet<>();
        for (Stage stage : stages) {
            topics.addAll(stage.inputTopics());
            topics.addAll(stage.outputTopics());
        }
        return new ArrayList<>(topics);
    }

    /** The services that run the consuming stages, from source to sink, each once. */
    public List<String> consumingServices() {
        return consumers().stream().map(Stage::service).distinct().toList();
    }

    /** The stages' names, from source to sink. */
    public List<String> names() {
        return stages.stream().map(Stage::name).toList();
    }

    /** All topic names, the control topics (jobs, job events, job status) included. */
    public PipelineConfig.Topics topics() {
        return config.topics();
    }

    /** The topics' {@code max.message.bytes}, below which blocks are split. */
    public int maxMessageBytes() {
        return config.maxMessageBytes();
    }
}
