package dev.kbi.loadtests;

import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.launcher.RunningPipeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples a running pipeline every {@link #INTERVAL} from outside, without touching its services:
 *
 * <ul>
 *   <li>the <b>blocks in flight</b> from the reader to the writer, as the reader's backpressure
 *       counts them: for each stage's input topic and consumer group, end offsets minus committed
 *       offsets (the lag {@code kafka-consumer-groups.sh} shows), summed over the three stages;</li>
 *   <li>the <b>bytes in flight</b>: each stage's lag times the average stored record size of its
 *       topic (partition size from {@code Admin.describeLogDirs} over the records the partition
 *       holds). These are the bytes as Kafka stores them (lz4-compressed Arrow blocks);</li>
 *   <li>each service's JVM memory from its {@code /q/metrics}: heap used, old-generation occupancy
 *       after GC ({@code jvm_gc_live_data_size_bytes}, what a retention leak would grow) and NIO
 *       direct buffers.</li>
 * </ul>
 *
 * <p>It samples one job on a {@link RunningPipeline}: started before the job is submitted, it counts
 * the job's window from the first block the job adds to the images topic.
 */
final class RunSampler implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(500);
    /** The pipeline the benchmarks run: every setting at its default. */
    static final Pipeline PIPELINE = Pipeline.defaults();
    /** Each stage's consumer group and input topic, as the reader's backpressure sums them. */
    static final Map<String, String> STAGE_INPUTS = stageInputs();
    static final List<String> SERVICES = PIPELINE.names();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final RunningPipeline pipeline;
    private final long startMillis = System.currentTimeMillis();
    private final Thread thread;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, JvmMemory> jvm = new LinkedHashMap<>();
    private volatile boolean stopping;
    private Admin admin;

    private RunSampler(RunningPipeline pipeline) {
        this.pipeline = pipeline;
        this.thread = new Thread(this::loop, "run-sampler");
        this.thread.setDaemon(true);
    }

    /** Starts sampling {@code pipeline}; call before submitting the job to be sampled. */
    static RunSampler start(RunningPipeline pipeline) {
        RunSampler sampler = new RunSampler(pipeline);
        sampler.thread.start();
        return sampler;
    }

    /**
     * One sample: seconds since the sampler started, blocks and bytes in flight, blocks on the images
     * topic so far, and the bytes in flight in front of each stage (by consumer group).
     */
    record Sample(double seconds, long blocks, long bytes, long imagesProduced, Map<String, Long> bytesByStage) {
    }

    /**
     * One service's JVM memory over the run, in bytes.
     *
     * @param maxHeapUsed most heap in use at any sample
     * @param liveAfterGc old-generation occupancy after the last collection that reported it (-1: none seen)
     * @param maxLiveAfterGc the largest of those over the run
     * @param maxDirect most NIO direct-buffer memory at any sample
     */
    record JvmMemory(long maxHeapUsed, long liveAfterGc, long maxLiveAfterGc, long maxDirect) {

        JvmMemory merge(long heap, long live, long direct) {
            return new JvmMemory(Math.max(maxHeapUsed, heap), live >= 0 ? live : liveAfterGc,
                    Math.max(maxLiveAfterGc, live), Math.max(maxDirect, direct));
        }
    }

    /**
     * The job's in-flight figures, over the window from the first block it added to the images topic
     * to the last sample with anything in flight. {@code steadyMeanBytes} averages the middle 60% of that
     * window only: the ramp-up and the drain take a share of the run that shrinks as the job grows,
     * so a whole-run mean is biased by the job's length, a steady-state one is not.
     */
    record InFlight(int samples, long maxBlocks, double meanBlocks, long maxBytes, double meanBytes,
            Map<String, JvmMemory> jvm, @com.fasterxml.jackson.annotation.JsonIgnore List<Sample> series) {

        /** Mean bytes in flight over the middle 60% of the window's duration. */
        @com.fasterxml.jackson.annotation.JsonProperty("steadyMeanBytes")
        double steadyMeanBytes() {
            double span = spanSeconds();
            return meanBytesBetween(0.2 * span, 0.8 * span);
        }

        /** The bytes in flight that a share {@code q} of the window's samples do not exceed (nearest rank). */
        double bytesPercentile(double q) {
            long[] bytes = series.stream().mapToLong(Sample::bytes).sorted().toArray();
            return bytes.length == 0 ? 0
                    : bytes[Math.max(0, Math.min(bytes.length - 1, (int) Math.ceil(q * bytes.length) - 1))];
        }

        /** Seconds from the window's first sample to its last. */
        double spanSeconds() {
            return series.isEmpty() ? 0 : series.get(series.size() - 1).seconds() - series.get(0).seconds();
        }

        /** Mean bytes in flight of the samples from {@code from} to {@code to} seconds into the window. */
        double meanBytesBetween(double from, double to) {
            if (series.isEmpty()) {
                return 0;
            }
            double t0 = series.get(0).seconds();
            return series.stream().filter(s -> s.seconds() - t0 >= from && s.seconds() - t0 <= to)
                    .mapToLong(Sample::bytes).average().orElse(0);
        }
    }

    /** Stops sampling and summarizes. */
    InFlight result() {
        close();
        int first = -1;
        int last = -1;
        long before = samples.isEmpty() ? 0 : samples.get(0).imagesProduced(); // earlier jobs' blocks
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (first < 0 && s.imagesProduced() > before) {
                first = i;
            }
            if (first >= 0 && s.blocks() > 0) {
                last = i;
            }
        }
        List<Sample> window = first < 0 || last < 0 ? List.of() : List.copyOf(samples.subList(first, last + 1));
        return new InFlight(window.size(), window.stream().mapToLong(Sample::blocks).max().orElse(0),
                window.stream().mapToLong(Sample::blocks).average().orElse(0),
                window.stream().mapToLong(Sample::bytes).max().orElse(0),
                window.stream().mapToLong(Sample::bytes).average().orElse(0), Map.copyOf(jvm), window);
    }

    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try {
            while (!stopping) {
                long next = System.nanoTime() + INTERVAL.toNanos();
                sampleOnce();
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        }
    }

    private void sampleOnce() {
        double seconds = (System.currentTimeMillis() - startMillis) / 1000.0;
        try {
            Admin a = admin();
            if (a != null) {
                samples.add(backlog(a, seconds));
            }
        } catch (Exception e) {
            // Broker not up yet, or already stopping: no sample this time.
        }
        pipeline.metricsEndpoints().forEach((instance, uri) -> sampleJvm(pipeline.serviceOf(instance), uri));
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000"));
        }
        return admin;
    }

    private static Sample backlog(Admin admin, double seconds) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(STAGE_INPUTS.values()).allTopicNames().get().forEach((topic, description) ->
                description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
        Map<TopicPartition, ListOffsetsResultInfo> end = offsets(admin, partitions, OffsetSpec.latest());
        Map<TopicPartition, ListOffsetsResultInfo> start = offsets(admin, partitions, OffsetSpec.earliest());
        Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
        STAGE_INPUTS.keySet().forEach(group -> groups.put(group, new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = admin.listConsumerGroupOffsets(groups)
                .all().get();
        Map<TopicPartition, Long> sizes = new HashMap<>();
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(
                admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList()).allDescriptions().get()
                .values()) {
            for (LogDirDescription dir : dirs.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> e : dir.replicaInfos().entrySet()) {
                    sizes.merge(e.getKey(), e.getValue().size(), Long::sum);
                }
            }
        }
        long blocks = 0;
        long bytes = 0;
        Map<String, Long> bytesByStage = new LinkedHashMap<>();
        for (Map.Entry<String, String> stage : STAGE_INPUTS.entrySet()) {
            String topic = stage.getValue();
            Map<TopicPartition, OffsetAndMetadata> groupOffsets = committed.getOrDefault(stage.getKey(), Map.of());
            long lag = 0;
            long stored = 0;
            long storedBytes = 0;
            for (TopicPartition tp : partitions) {
                if (!tp.topic().equals(topic)) {
                    continue;
                }
                long endOffset = end.get(tp).offset();
                long logStart = start.get(tp).offset();
                OffsetAndMetadata c = groupOffsets.get(tp);
                lag += Math.max(0, endOffset - (c != null ? c.offset() : logStart));
                stored += endOffset - logStart;
                storedBytes += sizes.getOrDefault(tp, 0L);
            }
            long stageBytes = stored > 0 ? Math.round((double) lag * storedBytes / stored) : 0;
            blocks += lag;
            bytes += stageBytes;
            bytesByStage.put(stage.getKey(), stageBytes);
        }
        long imagesProduced = partitions.stream().filter(tp -> tp.topic().equals(PIPELINE.topics().images()))
                .mapToLong(tp -> end.get(tp).offset()).sum();
        return new Sample(seconds, blocks, bytes, imagesProduced, bytesByStage);
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin admin, List<TopicPartition> partitions,
            OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        return admin.listOffsets(request).all().get();
    }

    /** Merges one instance's JVM memory into its service's figures (instances of a service together). */
    private void sampleJvm(String service, URI metrics) {
        if (service == null) {
            return; // stopped since the endpoints were listed
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(metrics)
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            long heap = (long) sum(body, "jvm_memory_used_bytes", "area=\"heap\"");
            long live = body.contains("jvm_gc_live_data_size_bytes") ? (long) sum(body, "jvm_gc_live_data_size_bytes",
                    "") : -1;
            long direct = (long) sum(body, "jvm_buffer_memory_used_bytes", "id=\"direct\"");
            jvm.merge(service, new JvmMemory(heap, live, live, direct), (a, b) -> a.merge(heap, live, direct));
        } catch (IOException e) {
            // Not answering (starting or stopped): no sample.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sum of a Prometheus metric's samples whose labels contain {@code labelText}. */
    private static double sum(String body, String metric, String labelText) {
        double total = 0;
        for (String line : body.split("\n")) {
            if ((line.startsWith(metric + "{") || line.startsWith(metric + " ")) && line.contains(labelText)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /**
     * Each consuming stage's group and main input (its first; the writer's dead letters are left out,
     * the benchmarks' inputs make none).
     */
    private static Map<String, String> stageInputs() {
        Map<String, String> inputs = new LinkedHashMap<>();
        PIPELINE.consumers()
                .forEach(stage -> inputs.put(stage.groupId(), stage.inputTopics().get(0)));
        return java.util.Collections.unmodifiableMap(inputs);
    }
}
