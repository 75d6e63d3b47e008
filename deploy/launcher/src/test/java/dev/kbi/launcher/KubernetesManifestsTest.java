package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kbi.common.config.PipelineConfig;
import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.pipeline.Stage;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Structural checks of the Kubernetes manifests under {@code deploy/kubernetes} (kustomize base and
 * overlays), without a cluster or network: every document is a named object, the kustomizations
 * name files that exist, overlay patches hit objects of the base, every KEDA ScaledObject scales a
 * Deployment of the base with Kafka triggers on that stage's own consumer group and input topics
 * (the services' defaults), no stage can run more consumers than its topic has partitions, and the
 * probes and scrape annotations use the services' Quarkus endpoints.
 *
 * <p>Parses YAML with jackson-dataformat-yaml.
 */
class KubernetesManifestsTest {

    private static final Path MANIFESTS = Path.of("../kubernetes").toAbsolutePath().normalize();
    private static final Path BASE = MANIFESTS.resolve("base");
    private static final Path PIPELINE_ENV = BASE.resolve("pipeline.env");
    /** The API group of kustomization files: Kustomization (v1beta1) and Component (v1alpha1). */
    private static final String KUSTOMIZATION = "kustomize.config.k8s.io/";
    private static final String LIVE = "/q/health/live";
    private static final String READY = "/q/health/ready";
    private static final String METRICS = "/q/metrics";
    /** The reader Deployment that takes jobs of files over HTTP, and its Service. */
    private static final String JOBS_READER = "kbi-reader";

    /** Each consuming stage's input topics, as {@link PipelineConfig.Topics} accessors. */
    private static final Map<String, List<String>> STAGE_INPUTS = Map.of(
            "ingest", List.of("input"),
            "preprocessor", List.of("images"),
            "inference", List.of("tensors"),
            "writer", List.of("predictions", "deadLetters"));

    /** One YAML document: the file it is in and whether a kustomization uses it as a patch. */
    record Doc(Path file, JsonNode node, boolean patch) {

        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        boolean inBase() {
            return file.startsWith(BASE);
        }

        @Override
        public String toString() {
            return kind() + "/" + name() + " (" + MANIFESTS.relativize(file) + ")";
        }
    }

    private static final ObjectMapper yaml = new YAMLMapper();
    private static List<Doc> docs;

    @BeforeAll
    static void load() throws IOException {
        assertTrue(Files.isDirectory(BASE), "no kustomize base at " + BASE);
        Set<Path> patches = new HashSet<>();
        Set<Path> jsonPatches = new HashSet<>(); // lists of operations on a target, not objects
        for (Path kustomization : files("kustomization.yaml")) {
            JsonNode k = readAll(kustomization).get(0);
            for (JsonNode patch : k.path("patches")) {
                if (patch.has("path")) {
                    Path file = kustomization.resolveSibling(patch.get("path").asText()).normalize();
                    (patch.has("target") ? jsonPatches : patches).add(file);
                }
            }
        }
        docs = new ArrayList<>();
        for (Path file : files(".yaml")) {
            if (jsonPatches.contains(file)) {
                continue;
            }
            for (JsonNode node : readAll(file)) {
                docs.add(new Doc(file, node, patches.contains(file)));
            }
        }
        assertFalse(docs.isEmpty(), "no YAML documents under " + MANIFESTS);
    }

    @Test
    void everyDocumentIsANamedObject() {
        for (Doc doc : docs) {
            assertFalse(doc.node().path("apiVersion").asText().isEmpty(), doc + ": no apiVersion");
            assertFalse(doc.kind().isEmpty(), doc + ": no kind");
            if (!doc.node().path("apiVersion").asText().startsWith(KUSTOMIZATION)) {
                assertFalse(doc.name().isEmpty(), doc + ": no metadata.name");
            }
        }
    }

    @Test
    void kustomizationsNameExistingFilesAndEveryManifestIsUsed() throws IOException {
        Set<Path> used = new HashSet<>();
        for (Doc k : kustomizations()) {
            List<Path> named = new ArrayList<>();
            k.node().path("resources").forEach(r -> named.add(k.file().resolveSibling(r.asText()).normalize()));
            k.node().path("patches").forEach(p -> {
                if (p.has("path")) {
                    named.add(k.file().resolveSibling(p.get("path").asText()).normalize());
                }
            });
            k.node().path("configMapGenerator").forEach(g -> g.path("files").forEach(
                    f -> named.add(k.file().resolveSibling(f.asText().replaceFirst("^[^=]*=", "")).normalize())));
            for (Path path : named) {
                assertTrue(Files.exists(path), k + " names " + path + ", which does not exist");
            }
            used.addAll(named);
        }
        for (Path file : files(".yaml")) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                assertTrue(used.contains(file), MANIFESTS.relativize(file) + " is in no kustomization");
            }
        }
    }

    @Test
    void overlayPatchesTargetObjectsOfTheBase() {
        Set<String> base = baseResources().map(d -> d.kind() + "/" + d.name()).collect(Collectors.toSet());
        for (Doc doc : docs) {
            if (doc.patch()) {
                assertTrue(base.contains(doc.kind() + "/" + doc.name()), doc + " patches nothing in the base");
            }
        }
    }

    @Test
    void everyConsumerDeploymentIsScaledByExactlyOneScaledObject() {
        Set<String> deployments = deploymentNames();
        assertEquals(Set.of("kbi-ingest", "kbi-preprocessor", "kbi-inference", "kbi-writer"), deployments);
        Map<String, Integer> scaled = new LinkedHashMap<>();
        for (Doc so : fullScaledObjects()) {
            JsonNode target = so.node().path("spec").path("scaleTargetRef");
            assertEquals("Deployment", target.path("kind").asText("Deployment"), so + ": scaleTargetRef.kind");
            assertEquals("apps/v1", target.path("apiVersion").asText("apps/v1"), so + ": scaleTargetRef.apiVersion");
            String name = target.path("name").asText();
            assertTrue(deployments.contains(name), so + " scales " + name + ", not a Deployment of the base");
            scaled.merge(name, 1, Integer::sum);
        }
        for (String deployment : deployments) {
            assertEquals(1, scaled.getOrDefault(deployment, 0), deployment + ": ScaledObjects");
        }
    }

    @Test
    void jobsOfFilesGoToOneReaderPodThroughItsServiceAndTheSubmitJobCallsIt() {
        JsonNode reader = deployment(JOBS_READER);
        assertEquals(1, reader.path("spec").path("replicas").asInt(), "the jobs a reader took live in its memory");
        assertEquals("Recreate", reader.path("spec").path("strategy").path("type").asText(),
                "a rollout must not run two readers answering for the same jobs");
        assertEquals("false", env(reader, "READER_INGEST_ENABLED").orElse(""), "the input topic is kbi-ingest's");
        assertFalse(env(reader, "READER_ALLOWED_ROOTS").orElse("").isEmpty(), "HTTP jobs need allowed roots");
        assertTrue(fullScaledObjects().stream().noneMatch(so -> so.node().path("spec").path("scaleTargetRef")
                .path("name").asText().equals(JOBS_READER)), "no autoscaler may add or remove reader pods");

        JsonNode service = only(baseResources().filter(d -> d.kind().equals("Service")
                && d.name().equals(JOBS_READER))).node();
        JsonNode podLabels = reader.path("spec").path("template").path("metadata").path("labels");
        service.path("spec").path("selector").fields().forEachRemaining(label -> assertEquals(label.getValue().asText(),
                podLabels.path(label.getKey()).asText(), "Service " + JOBS_READER + " selects label " + label.getKey()));
        assertEquals(JOBS_READER, reader.path("spec").path("selector").path("matchLabels")
                .path("app.kubernetes.io/name").asText());

        JsonNode submit = only(baseResources().filter(d -> d.kind().equals("Job")
                && d.name().equals("kbi-submit-job"))).node();
        String port = service.path("spec").path("ports").get(0).path("port").asText();
        assertEquals("http://" + JOBS_READER + ":" + port, env(submit, "KBI_READER_URL").orElse(""));
        String input = env(submit, "JOB_INPUT").orElse("");
        assertTrue(input.startsWith(env(reader, "READER_ALLOWED_ROOTS").orElse("") + "/"),
                "the submitted input " + input + " lies under the reader's allowed roots");
    }

    @Test
    void everyDeploymentHasADisruptionBudgetAndEveryServiceSelectsADeploymentsPods() {
        List<Doc> deployments = baseResources().filter(d -> d.kind().equals("Deployment")).toList();
        for (Doc deployment : deployments) {
            JsonNode podLabels = deployment.node().path("spec").path("template").path("metadata").path("labels");
            long budgets = baseResources().filter(d -> d.kind().equals("PodDisruptionBudget")
                    && selects(d.node().path("spec").path("selector").path("matchLabels"), podLabels)).count();
            assertEquals(1, budgets, deployment + ": PodDisruptionBudgets selecting its pods");
        }
        for (Doc service : baseResources().filter(d -> d.kind().equals("Service")).toList()) {
            JsonNode selector = service.node().path("spec").path("selector");
            assertTrue(deployments.stream().anyMatch(d -> selects(selector, d.node().path("spec").path("template")
                    .path("metadata").path("labels"))), service + " selects no Deployment's pods");
        }
        assertTrue(baseResources().anyMatch(d -> d.kind().equals("Service") && d.name().equals("kbi-writer")),
                "the job status (the writer's /jobs) has a Service");
    }

    /** Whether every label of a selector is on the pod, with the same value (and the selector has any). */
    private static boolean selects(JsonNode selector, JsonNode podLabels) {
        if (selector.isEmpty()) {
            return false;
        }
        java.util.Iterator<Map.Entry<String, JsonNode>> labels = selector.fields();
        while (labels.hasNext()) {
            Map.Entry<String, JsonNode> label = labels.next();
            if (!label.getValue().asText().equals(podLabels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void consumersAreStaticGroupMembersNamedAfterTheirPod() {
        for (String name : deploymentNames()) {
            JsonNode instanceId = envEntry(deployment(name), "KBI_STAGE_INSTANCE_ID");
            assertEquals("metadata.name", instanceId.path("valueFrom").path("fieldRef").path("fieldPath").asText(),
                    name + ": KBI_STAGE_INSTANCE_ID must come from the pod name (unique per running pod)");
        }
    }

    @Test
    void theTopicJobsPartitionVariablesCoverEveryConsumingStagesInputs() throws ReflectiveOperationException {
        Pipeline pipeline = Pipeline.defaults();
        for (Stage stage : pipeline.consumers()) {
            List<String> topics = new ArrayList<>();
            for (String accessor : STAGE_INPUTS.get(stage.name())) {
                topics.add(defaultTopic(accessor));
            }
            assertEquals(stage.inputTopics(), topics, stage.name() + ": inputs");
        }
    }

    @Test
    void kafkaTriggersWatchTheStagesOwnGroupAndInputTopics() {
        String brokers = pipelineConfig().path("KAFKA_BOOTSTRAP_SERVERS").asText();
        Pipeline pipeline = Pipeline.fromEnvironment(sharedEnvironment());
        for (Doc so : fullScaledObjects()) {
            String deployment = so.node().path("spec").path("scaleTargetRef").path("name").asText();
            Stage stage = pipeline.stage(stageOf(deployment));
            String group = stage.groupId();
            Set<String> inputs = new TreeSet<>(stage.inputTopics());
            assertTrue(groupReplacedFromSharedConfig(so.name(), stage.name()),
                    so + ": no replacement copies KBI_GROUPS_" + upperSnake(stage.name()) + " into its triggers");
            Set<String> watched = new TreeSet<>();
            for (JsonNode trigger : so.node().path("spec").path("triggers")) {
                assertEquals("kafka", trigger.path("type").asText(), so + ": trigger type");
                JsonNode m = trigger.path("metadata");
                assertEquals(group, m.path("consumerGroup").asText(), so + ": consumerGroup");
                assertTrue(inputs.contains(m.path("topic").asText()),
                        so + ": topic " + m.path("topic").asText() + " is not an input of " + stage + " " + inputs);
                watched.add(m.path("topic").asText());
                assertEquals(brokers, m.path("bootstrapServers").asText(), so + ": bootstrapServers");
                assertTrue(positiveInt(m.path("lagThreshold")) >= 1, so + ": lagThreshold");
                assertTrue(positiveInt(m.path("activationLagThreshold")) >= 0, so + ": activationLagThreshold");
                // As the services' consumers (auto.offset.reset=earliest): a group with nothing
                // committed owes the whole partition.
                assertEquals("earliest", m.path("offsetResetPolicy").asText(), so + ": offsetResetPolicy");
            }
            assertEquals(inputs, watched, so + ": the topics its triggers watch");
        }
    }

    @Test
    void sharedConfigNamesTheServicesDefaultTopics() throws ReflectiveOperationException {
        JsonNode data = pipelineConfig();
        for (String accessor : List.of("images", "tensors", "predictions", "results", "jobs", "deadLetters")) {
            String variable = "KBI_TOPICS_" + upperSnake(accessor);
            assertEquals(defaultTopic(accessor), data.path(variable).asText(), "kbi-pipeline " + variable);
        }
        String maxMessageBytes = PipelineConfig.class.getMethod("maxMessageBytes")
                .getAnnotation(WithDefault.class).value();
        assertEquals(maxMessageBytes, data.path("KBI_MAX_MESSAGE_BYTES").asText(), "kbi-pipeline KBI_MAX_MESSAGE_BYTES");
    }

    @Test
    void noStageRunsMoreConsumersThanItsTopicHasPartitions() throws ReflectiveOperationException {
        JsonNode topicsJob = only(baseResources().filter(d -> d.kind().equals("Job")
                && d.name().equals("kbi-create-topics"))).node();
        Map<String, Doc> baseScaledObjects = fullScaledObjects().stream()
                .collect(Collectors.toMap(Doc::name, d -> d));
        int checked = 0;
        for (Doc so : docs) {
            if (!so.kind().equals("ScaledObject") || !so.node().path("spec").has("maxReplicaCount")) {
                continue;
            }
            Doc base = baseScaledObjects.get(so.name());
            String deployment = base.node().path("spec").path("scaleTargetRef").path("name").asText();
            int concurrency = Integer.parseInt(env(deployment(deployment), "KBI_STAGE_CONCURRENCY").orElse("1"));
            int max = so.node().path("spec").path("maxReplicaCount").asInt();
            for (String accessor : STAGE_INPUTS.get(stageOf(deployment))) {
                String variable = upperSnake(accessor) + "_PARTITIONS";
                int partitions = Integer.parseInt(env(topicsJob, variable)
                        .orElseThrow(() -> new AssertionError("kbi-create-topics sets no " + variable)));
                assertTrue(max * concurrency <= partitions, so + ": " + max + " replicas x " + concurrency
                        + " consumers > " + partitions + " partitions of " + defaultTopic(accessor));
                checked++;
            }
        }
        assertTrue(checked >= 4, "partition checks made: " + checked);
    }

    @Test
    void strimziTopicsAreThePipelinesWithTheTopicsJobsPartitions() {
        JsonNode topicsJob = only(baseResources().filter(d -> d.kind().equals("Job")
                && d.name().equals("kbi-create-topics"))).node();
        Map<String, JsonNode> topics = docs.stream().filter(d -> d.kind().equals("KafkaTopic"))
                .collect(Collectors.toMap(Doc::name, d -> d.node().path("spec")));
        Map<String, String> shared = sharedEnvironment();
        for (String variable : List.of("INPUT", "IMAGES", "TENSORS", "PREDICTIONS", "DEAD_LETTERS", "RESULTS", "JOBS")) {
            String topic = shared.get("KBI_TOPICS_" + variable);
            assertTrue(topics.containsKey(topic), "no KafkaTopic " + topic);
            env(topicsJob, variable + "_PARTITIONS").ifPresent(partitions -> assertEquals(Integer.parseInt(partitions),
                    topics.get(topic).path("partitions").asInt(), "KafkaTopic " + topic + " partitions"));
        }
        assertEquals("compact", topics.get(shared.get("KBI_TOPICS_JOBS")).path("config").path("cleanup.policy").asText());
    }

    @Test
    void everyStagesStrimziUserMayReadItsInputsAndGroupAndWriteItsOutputsInTransactions() {
        Map<String, JsonNode> acls = docs.stream().filter(d -> d.kind().equals("KafkaUser"))
                .collect(Collectors.toMap(Doc::name, d -> d.node().path("spec").path("authorization").path("acls")));
        Pipeline pipeline = Pipeline.fromEnvironment(sharedEnvironment());
        for (Stage stage : pipeline.consumers()) {
            String user = "kbi-" + stage.service();
            JsonNode granted = acls.get(user);
            assertTrue(granted != null, "no KafkaUser " + user + " for stage " + stage.name());
            for (String topic : stage.inputTopics()) {
                assertTrue(allows(granted, "topic", topic, "literal", "Read"), user + " may not read " + topic);
            }
            for (String topic : stage.outputTopics()) {
                assertTrue(allows(granted, "topic", topic, "literal", "Write"), user + " may not write " + topic);
            }
            assertTrue(allows(granted, "group", stage.groupId(), "literal", "Read"), user + ": group " + stage.groupId());
            assertTrue(allows(granted, "transactionalId", stage.groupId() + "-", "prefix", "Write"),
                    user + ": transactional ids " + stage.groupId() + "-*");
            assertTrue(allows(granted, "cluster", "", "", "Describe"), user + ": the lag monitor's DescribeLogDirs");
        }
        // Each Deployment logs in as the user of the service it runs.
        Map<String, String> deploymentUser = new LinkedHashMap<>();
        for (Doc doc : docs) {
            if (doc.kind().equals("Deployment") && doc.file().startsWith(MANIFESTS.resolve("components/strimzi"))) {
                doc.node().findValues("secretKeyRef").forEach(ref -> deploymentUser.put(doc.name(), ref.path("name").asText()));
            }
        }
        assertEquals(Map.of("kbi-reader", "kbi-reader", "kbi-ingest", "kbi-reader", "kbi-preprocessor",
                "kbi-preprocessor", "kbi-inference", "kbi-inference", "kbi-writer", "kbi-writer"), deploymentUser);
    }

    private static boolean allows(JsonNode acls, String type, String name, String patternType, String operation) {
        for (JsonNode acl : acls) {
            JsonNode resource = acl.path("resource");
            boolean sameResource = resource.path("type").asText().equals(type)
                    && resource.path("name").asText().equals(name)
                    && resource.path("patternType").asText(patternType).equals(patternType);
            if (sameResource && acl.path("type").asText("allow").equals("allow")) {
                for (JsonNode op : acl.path("operations")) {
                    if (op.asText().equals(operation) || op.asText().equals("All")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void probesAndScrapingUseTheQuarkusEndpoints() {
        String port = pipelineConfig().path("QUARKUS_HTTP_PORT").asText();
        int containers = 0;
        for (Doc doc : docs) {
            if (!doc.kind().equals("Deployment") && !doc.kind().equals("Job")) {
                continue;
            }
            JsonNode pod = doc.node().path("spec").path("template");
            for (JsonNode container : pod.path("spec").path("containers")) {
                if (!container.path("image").asText().startsWith("kbi-")) {
                    continue; // not a service (the topics Job runs apache/kafka)
                }
                containers++;
                String where = doc + " container " + container.path("name").asText();
                checkProbe(container, "startupProbe", LIVE, where);
                checkProbe(container, "livenessProbe", LIVE, where);
                checkProbe(container, "readinessProbe", READY, where);
                if (doc.patch()) {
                    continue;
                }
                assertTrue(container.has("livenessProbe"), where + ": no livenessProbe");
                if (doc.kind().equals("Deployment")) {
                    assertTrue(container.has("readinessProbe"), where + ": no readinessProbe");
                }
                boolean http = false;
                for (JsonNode p : container.path("ports")) {
                    http |= p.path("name").asText().equals("http") && p.path("containerPort").asText().equals(port);
                }
                assertTrue(http, where + ": no port named http on " + port);
                JsonNode annotations = pod.path("metadata").path("annotations");
                assertEquals("true", annotations.path("prometheus.io/scrape").asText(), where + ": prometheus.io/scrape");
                assertEquals(METRICS, annotations.path("prometheus.io/path").asText(), where + ": prometheus.io/path");
                assertEquals(port, annotations.path("prometheus.io/port").asText(), where + ": prometheus.io/port");
            }
        }
        assertTrue(containers >= 4, "service containers checked: " + containers);
    }

    private static void checkProbe(JsonNode container, String probe, String path, String where) {
        JsonNode httpGet = container.path(probe).path("httpGet");
        if (!httpGet.isMissingNode()) {
            assertEquals(path, httpGet.path("path").asText(), where + ": " + probe + " path");
            assertEquals("http", httpGet.path("port").asText(), where + ": " + probe + " port");
        }
    }

    /** The non-empty documents of a YAML file (comment-only documents are skipped). */
    private static List<JsonNode> readAll(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode() && !node.isEmpty()) {
                    assertTrue(node.isObject(), file + ": a document that is not a mapping");
                    nodes.add(node);
                }
            }
        }
        return nodes;
    }

    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(MANIFESTS)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(suffix)).map(Path::normalize).sorted()
                    .toList();
        }
    }

    private static List<Doc> kustomizations() {
        return docs.stream().filter(d -> d.node().path("apiVersion").asText().startsWith(KUSTOMIZATION)).toList();
    }

    private static Stream<Doc> baseResources() {
        return docs.stream().filter(d -> d.inBase() && !d.patch()
                && !d.node().path("apiVersion").asText().startsWith(KUSTOMIZATION));
    }

    private static List<Doc> fullScaledObjects() {
        return baseResources().filter(d -> d.kind().equals("ScaledObject")).toList();
    }

    /** The Deployments of consuming stages: every one but the reader of jobs of files, which consumes nothing. */
    private static Set<String> deploymentNames() {
        return baseResources().filter(d -> d.kind().equals("Deployment") && !d.name().equals(JOBS_READER))
                .map(Doc::name).collect(Collectors.toSet());
    }

    private static JsonNode deployment(String name) {
        return only(baseResources().filter(d -> d.kind().equals("Deployment") && d.name().equals(name))).node();
    }

    /**
     * The data of the ConfigMap kbi-pipeline: the kustomization generates it from {@code pipeline.env}, the
     * file the Compose stack gives its containers too.
     */
    private static JsonNode pipelineConfig() {
        JsonNode generator = only(kustomizations().stream().filter(Doc::inBase)).node().path("configMapGenerator");
        List<String> envs = new ArrayList<>();
        generator.forEach(g -> {
            if (g.path("name").asText().equals("kbi-pipeline")) {
                g.path("envs").forEach(e -> envs.add(e.asText()));
            }
        });
        assertEquals(List.of(PIPELINE_ENV.getFileName().toString()), envs, "kbi-pipeline's generator");
        com.fasterxml.jackson.databind.node.ObjectNode data = yaml.createObjectNode();
        try {
            for (String line : Files.readAllLines(PIPELINE_ENV)) {
                int eq = line.indexOf('=');
                if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
                    data.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return data;
    }

    @Test
    void theComposeStackTakesTheSharedSettingsFromTheSameFile() throws IOException {
        Path composeFile = MANIFESTS.resolveSibling("compose/compose.yaml");
        JsonNode compose = readAll(composeFile).get(0);
        Path envFile = composeFile.resolveSibling(compose.path("x-service").path("env_file").asText()).normalize();
        assertEquals(PIPELINE_ENV, envFile, "x-service env_file");
        assertEquals(envFile, composeFile.resolveSibling(
                compose.path("services").path("topics").path("env_file").asText()).normalize(), "topics env_file");
        // Only what differs on the Compose network is set there.
        List<String> overridden = new ArrayList<>();
        compose.path("x-pipeline").fieldNames().forEachRemaining(overridden::add);
        assertEquals(List.of("KAFKA_BOOTSTRAP_SERVERS", "KBI_STAGE_INSTANCE_ID"), overridden);
    }

    /** The kbi-pipeline ConfigMap's data: the environment every service gets. */
    private static Map<String, String> sharedEnvironment() {
        Map<String, String> env = new java.util.HashMap<>();
        pipelineConfig().fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** Whether the kustomization copies the stage's KBI_GROUPS_ key into the consumer group of ScaledObject {@code name}. */
    private static boolean groupReplacedFromSharedConfig(String name, String stage) {
        for (Doc kustomization : kustomizations()) {
            for (JsonNode replacement : kustomization.node().path("replacements")) {
                if (!replacement.path("source").path("fieldPath").asText().equals("data.KBI_GROUPS_" + upperSnake(stage))) {
                    continue;
                }
                for (JsonNode target : replacement.path("targets")) {
                    boolean thisObject = target.path("select").path("kind").asText().equals("ScaledObject")
                            && target.path("select").path("name").asText().equals(name);
                    for (JsonNode path : target.path("fieldPaths")) {
                        if (thisObject && path.asText().equals("spec.triggers.[type=kafka].metadata.consumerGroup")) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static Optional<String> env(JsonNode workload, String name) {
        JsonNode entry = envEntry(workload, name);
        return entry.isMissingNode() ? Optional.empty() : Optional.of(entry.path("value").asText());
    }

    /** The {@code env} entry {@code name} of the first container, or a missing node. */
    private static JsonNode envEntry(JsonNode workload, String name) {
        for (JsonNode e : workload.path("spec").path("template").path("spec").path("containers").path(0).path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static Doc only(Stream<Doc> matches) {
        List<Doc> list = matches.toList();
        if (list.size() != 1) {
            fail("expected one document, found " + list);
        }
        return list.get(0);
    }

    private static String stageOf(String deployment) {
        assertTrue(deployment.startsWith("kbi-"), deployment + ": not named kbi-<stage>");
        String stage = deployment.substring("kbi-".length());
        assertTrue(STAGE_INPUTS.containsKey(stage), deployment + ": not a consuming stage");
        return stage;
    }

    /** The services' default name of a topic ({@code @WithDefault} of {@link PipelineConfig.Topics}). */
    private static String defaultTopic(String accessor) throws ReflectiveOperationException {
        return PipelineConfig.Topics.class.getMethod(accessor).getAnnotation(WithDefault.class).value();
    }

    private static String upperSnake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    private static int positiveInt(JsonNode value) {
        try {
            return Integer.parseInt(value.asText());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
