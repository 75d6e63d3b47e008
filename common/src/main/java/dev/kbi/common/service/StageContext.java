package dev.kbi.common.service;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.config.KafkaProperties;
import dev.kbi.common.config.PipelineConfig;
import dev.kbi.common.config.StageConfig;
import dev.kbi.common.lag.ConsumerLag;
import dev.kbi.common.lag.LagMonitor;
import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.pipeline.Stage;
import dev.kbi.common.runtime.BlockHandler;
import dev.kbi.common.runtime.BootstrapAddresses;
import dev.kbi.common.runtime.KafkaClients;
import dev.kbi.common.runtime.LagAutoscaler;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.runtime.StageSettings;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;

/**
 * What every service needs from its configuration to run a stage: the shared pipeline settings,
 * the pass-through Kafka client properties, the metrics registry, and a ready {@link StageRunner}.
 * Services inject this one bean instead of repeating the same four injections.
 */
@ApplicationScoped
public class StageContext {

    @Inject
    PipelineConfig pipeline;
    @Inject
    StageConfig stage;
    @Inject
    Config config;
    @Inject
    MeterRegistry registry;

    private static final Logger LOG = Logger.getLogger(StageContext.class);
    private final List<Admin> admins = new ArrayList<>();
    private boolean bootstrapResolved;
    private final List<LagMonitor> monitors = new ArrayList<>();

    /** The stages with their groups and topics, the control topics and the block size limit. */
    public Pipeline pipeline() {
        return Pipeline.of(pipeline);
    }

    /**
     * Every {@code kafka.*} key, without the prefix. The first call waits until a broker address resolves
     * ({@link BootstrapAddresses}): every Kafka client of the service is made from these settings.
     */
    public Map<String, String> kafka() {
        Map<String, String> properties = KafkaProperties.from(config);
        awaitResolvableBootstrap(properties.get("bootstrap.servers"));
        return properties;
    }

    private synchronized void awaitResolvableBootstrap(String bootstrapServers) {
        if (bootstrapResolved) {
            return;
        }
        try {
            BootstrapAddresses.awaitResolvable(bootstrapServers, stage.bootstrapResolveTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + bootstrapServers + " to resolve", e);
        }
        bootstrapResolved = true;
    }

    private Map<String, String> withDefaults(Map<String, String> clientDefaults) {
        Map<String, String> clients = new java.util.HashMap<>(clientDefaults);
        clients.putAll(kafka());
        return clients;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The stage's counters and timers, tagged {@code stage=<stage>}. */
    public StageMetrics metrics(String stageName) {
        return new StageMetrics(registry, stageName);
    }

    /** The stage's runner settings: its group and inputs from the descriptor, the rest from {@code kbi.stage.*}. */
    public StageSettings settings(Stage descriptor) {
        return settings(descriptor, Map.of());
    }

    /**
     * The stage's runner settings, with {@code clientDefaults} for its Kafka clients under the
     * service's {@code kafka.*} settings (which win).
     */
    public StageSettings settings(Stage descriptor, Map<String, String> clientDefaults) {
        if (stage.groupId().isPresent()) {
            throw new IllegalStateException("kbi.stage.group-id is no longer read: set kbi.groups." + descriptor.name()
                    + " (KBI_GROUPS_" + descriptor.name().toUpperCase(java.util.Locale.ROOT) + ") for every service, "
                    + "so that the stages watching this one's lag follow the rename");
        }
        return new StageSettings(descriptor.name(), descriptor.inputTopics(), descriptor.groupId(),
                stage.concurrency(), stage.pollTimeout(), stage.commitInterval(), pipeline.topics().deadLetters(),
                pipeline.maxMessageBytes(), withDefaults(clientDefaults), new StageSettings.Membership(
                        stage.instanceId().filter(id -> !id.isBlank()).orElse(null), stage.leaveGroupOnShutdown()),
                stage.delivery(), descriptor.commitsJobEvents() ? pipeline.topics().jobEvents() : null);
    }

    /**
     * A runner (not started) of {@code handlers} over the stage's inputs, autoscaled on lag when
     * {@code kbi.stage.max-concurrency} exceeds {@code kbi.stage.concurrency}.
     */
    public StageRunner runner(Stage descriptor, Supplier<BlockHandler> handlers, StageMetrics metrics,
            BlockCodec codec) {
        return runner(descriptor, handlers, metrics, codec, Map.of());
    }

    /**
     * A runner as {@link #runner(Stage, Supplier, StageMetrics, BlockCodec)}, its Kafka clients given
     * {@code clientDefaults} under the service's {@code kafka.*} settings: e.g. a stage whose records
     * are single rows polls more of them at once than one whose records are blocks.
     */
    public StageRunner runner(Stage descriptor, Supplier<BlockHandler> handlers, StageMetrics metrics,
            BlockCodec codec, Map<String, String> clientDefaults) {
        String stageName = descriptor.name();
        List<String> inputTopics = descriptor.inputTopics();
        StageSettings settings = settings(descriptor, clientDefaults);
        StageRunner runner = new StageRunner(settings, handlers, metrics, codec);
        // Summed by stage over the instances: the consumers in the stage's group (what KEDA and the
        // autoscaler change), next to its lag.
        io.micrometer.core.instrument.Gauge.builder("kbi.stage.consumers", runner, StageRunner::workerCount)
                .tag("stage", stageName).description("Consumers (workers) of the stage running in this process")
                .register(registry);
        Admin admin = admin(stageName);
        LagMonitor lag = new LagMonitor(stageName,
                () -> inputTopics.stream().map(t -> ConsumerLag.recordsAndBytes(admin, settings.groupId(), t))
                        .reduce(ConsumerLag.Lag.NONE, ConsumerLag.Lag::plus), metrics::rowsPerBlock,
                registry);
        monitors.add(lag);
        lag.start(stage.lagInterval());
        int max = stage.maxConcurrency().orElse(stage.concurrency());
        if (max > stage.concurrency()) {
            StageConfig.Autoscale scale = stage.autoscale();
            runner.autoscale(new LagAutoscaler.Policy(stage.concurrency(), max, scale.lagThreshold(),
                    scale.activationLagThreshold(), scale.pollingInterval(), scale.cooldownPeriod()), lag::refresh);
        }
        warnIfOverPartitioned(stageName, inputTopics, max);
        return runner;
    }

    /** Workers beyond the input's partitions get nothing to do: say so, without delaying startup. */
    private void warnIfOverPartitioned(String stageName, List<String> topics, int workers) {
        CompletableFuture.runAsync(() -> {
            try (Admin admin = KafkaClients.admin(kafka(), "kbi-" + stageName + "-partitions")) {
                int partitions = 0;
                for (var description : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                        .values()) {
                    partitions = Math.max(partitions, description.partitions().size());
                }
                if (workers > partitions) {
                    LOG.warnf("Stage %s may run %d consumer(s) in this process but %s has %d partition(s): the "
                            + "extra consumers idle. Add partitions or lower kbi.stage.(max-)concurrency.",
                            stageName, workers, topics, partitions);
                }
            } catch (Exception e) {
                LOG.debugf("Partition check of %s skipped: %s", topics, e.getMessage());
            }
        });
    }

    private synchronized Admin admin(String stageName) {
        Admin admin = KafkaClients.admin(kafka(), "kbi-" + stageName + "-lag");
        admins.add(admin);
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        monitors.forEach(LagMonitor::close);
        admins.forEach(a -> a.close(java.time.Duration.ofSeconds(5)));
    }
}
