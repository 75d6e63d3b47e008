package dev.kbi.reader;

import dev.kbi.common.pipeline.Stage;
import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockSplitter;
import dev.kbi.common.config.PipelineConfig;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobIds;
import dev.kbi.common.lag.PipelineBacklog;
import dev.kbi.common.runtime.BlockEmitter;
import dev.kbi.common.runtime.KafkaClients;
import dev.kbi.common.service.StageContext;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * The reader service: at startup, reads the job named by {@code reader.input} (if any) on a
 * background thread and publishes it. Its progress is the {@code kbi_stage_rows_out_total} metric.
 */
@Startup
@ApplicationScoped
public class ReaderService {

    private static final Logger LOG = Logger.getLogger(ReaderService.class);

    @Inject
    ReaderConfig config;
    @Inject
    StageContext stage;

    private final BlockCodec codec = new BlockCodec();
    private Admin admin;
    private volatile CompletableFuture<JobAnnouncement> currentJob;

    @PostConstruct
    void start() {
        admin = KafkaClients.admin(stage.kafka(), "kbi-reader-lag");
        config.input().ifPresent(input -> {
            // Checked before anything is sent: the id names the job's output folder.
            String jobId = JobIds.require(config.jobId().orElse("job-" + System.currentTimeMillis()));
            currentJob = CompletableFuture.supplyAsync(() -> runJob(new JobSpec(jobId, input, errorLimit(),
                    () -> false)));
            if (config.exitWhenDone()) {
                currentJob.whenComplete((job, error) -> Quarkus.asyncExit(error == null ? 0 : 1));
            }
        });
    }

    /**
     * One job to read.
     *
     * @param cancelled asked before each file and block: once true, reading stops and the rows read
     *     so far are announced as a cancelled job
     */
    public record JobSpec(String jobId, Path input, JobAnnouncement.ErrorLimit errorLimit,
            java.util.function.BooleanSupplier cancelled) {

        public JobSpec {
            JobIds.require(jobId);
        }
    }

    /**
     * Reads the job; returns its announcement. A job id read before resumes after the files its
     * committed blocks hold (see {@link ReaderProgress}).
     */
    public JobAnnouncement runJob(JobSpec job) {
        Pipeline pipeline = stage.pipeline();
        String jobId = job.jobId();
        Path input = job.input();
        // One transactional producer per job, named after it: a restarted reader of the same job
        // fences the one that died and aborts its open transaction.
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(stage.kafka(), "kbi-reader",
                pipeline.maxMessageBytes(), "kbi-reader-" + jobId);
                InputListing.Listing entries = InputListing.open(input, new HashSet<>(config.extensions()))) {
            producer.initTransactions();
            BlockEmitter emitter = new BlockEmitter(producer, new BlockSplitter(codec, pipeline.maxMessageBytes()),
                    pipeline.topics().deadLetters(), ImageJobReader.STAGE,
                    stage.metrics(ImageJobReader.STAGE), pipeline.topics().jobEvents());
            AllowedRoots roots = config.allowedRoots().map(AllowedRoots::new)
                    .orElseGet(() -> AllowedRoots.forInput(input));
            LOG.infof("Job %s: reading only under %s", jobId, roots.roots());
            int first = ReaderProgress.committedFiles(stage.kafka(), pipeline.topics().jobEvents(), jobId);
            return new ImageJobReader(emitter, pipeline.topics().images(), pipeline.topics().jobs(),
                    config.blockRows(), config.blockBytes(), new InputFiles(roots, config.maxFileBytes()),
                    gate(emitter))
                    .committingWith(ImageJobReader.BlockCommit.transactional(producer))
                    .cancelledWhen(job.cancelled())
                    .read(jobId, input.toString(), entries, first, job.errorLimit());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Job %s failed while reading %s", jobId, input);
            throw e;
        }
    }

    /** The job's dead-letter limit ({@code reader.max-errored-rows}, {@code reader.max-errored-fraction}). */
    public JobAnnouncement.ErrorLimit errorLimit() {
        return new JobAnnouncement.ErrorLimit(config.maxErroredRows().orElse(-1L),
                config.maxErroredFraction().orElse(-1.0));
    }

    /** Flow control from downstream lag ({@code reader.backpressure.*}), or none when disabled. */
    private ImageJobReader.Gate gate(BlockEmitter emitter) {
        ReaderConfig.BackpressureConfig bp = config.backpressure();
        if (!bp.enabled()) {
            return ImageJobReader.Gate.OPEN;
        }
        List<Stage> downstream = stage.pipeline().downstreamOf(Pipeline.READER);
        long maxRows = bp.maxRows(config.blockRows(), downstream.size());
        Backpressure.Budget budget = Backpressure.Budget.of(bp, maxRows, config.blockRows());
        PipelineBacklog backlog = PipelineBacklog.of(admin, downstream);
        Backpressure backpressure = new Backpressure(backlog::inFlight, emitter::flush, budget, bp.checkInterval(),
                stage.registry());
        LOG.infof("Backpressure: at most %d blocks (%d rows)%s in flight between reader and writer", budget.maxBlocks(),
                maxRows, budget.maxBytes() > 0 ? " and " + budget.maxBytes() + " bytes" : "");
        return backpressure::awaitCapacity;
    }

    /** The job started from configuration, if any. */
    public CompletableFuture<JobAnnouncement> currentJob() {
        return currentJob;
    }

    @PreDestroy
    void stop() {
        admin.close(Duration.ofSeconds(5));
        codec.close();
    }
}
