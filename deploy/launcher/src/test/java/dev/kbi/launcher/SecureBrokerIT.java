package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kbi.localkafka.LocalKafkaBroker;
import dev.kbi.localkafka.ScramUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline against a broker secured as a Strimzi cluster with {@code components/strimzi} is:
 * SASL/SCRAM-SHA-512 only, Kafka's StandardAuthorizer with no access where no ACL allows it, and each
 * service logged in as its own user with exactly the ACLs of that user in
 * {@code deploy/kubernetes/components/strimzi/users.yaml} (created here as the User Operator would). The
 * run's own settings name the operator's user ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM},
 * {@code KAFKA_SASL_JAAS_CONFIG}, as {@code run-local.sh --set kafka.*} gives them): the broker is started
 * with that user and the launcher's admin client logs in as it. Each service gets its own
 * {@code KAFKA_SASL_JAAS_CONFIG} in place of the run's, as a pod gets its user's Secret. The job
 * completes, the authorizer refuses what no ACL allows, and no password is in any log or the output.
 */
class SecureBrokerIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final Path USERS = ROOT.resolve("deploy/kubernetes/components/strimzi/users.yaml");
    private static final String MECHANISM = "SCRAM-SHA-512";
    private static final String OPERATOR = "kbi-operator";

    @Test
    void runsAJobWithEachServiceAsItsStrimziUserAndNoPasswordInAnyLog(@TempDir Path temp) throws Exception {
        ScramUser operator = new ScramUser(MECHANISM, OPERATOR, "kbi-pw-" + UUID.randomUUID());
        Map<String, String> env = new HashMap<>();
        operator.clientConfig().forEach((key, value) -> env.put(LaunchOptions.envName("kafka." + key), value));
        assertEquals(Set.of("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG"),
                env.keySet());
        // Kafka's clients at INFO print their whole configuration when created: the likeliest leak, so the
        // services write it here (they log Kafka at WARN by default).
        env.put("QUARKUS_LOG_CATEGORY__ORG_APACHE_KAFKA__LEVEL", "INFO");
        StrimziUsers users = new StrimziUsers(readUsers());

        LaunchOptions options = new LaunchOptions(ROOT, SAMPLES, MODEL, temp.resolve("work"), temp.resolve("out"),
                "secure-job", 2, Duration.ofMinutes(5), false, env);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        JobSummary summary;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
                RunningPipeline pipeline = RunningPipeline.start(options, users, out)) {
            summary = pipeline.await(pipeline.submit(options.jobId(), options.input()), options.timeout());
            summary.print(out);
            assertRefused(pipeline.bootstrapServers(), users.scramUser("kbi-inference"));
        } finally {
            System.out.print(printed.toString(StandardCharsets.UTF_8));
        }

        assertEquals(300, summary.totalRows());
        assertEquals(300, summary.rowsWritten());
        assertEquals(0, summary.rowsDeadLettered());
        assertTrue(Files.exists(summary.jobDir().resolve("_SUCCESS")));
        assertEquals(300, PipelineOutput.predictionsBySource(summary.files()).size(), "one row per image");

        // The broker took the operator from the run's settings: its only client listener is SASL.
        Path serverProperties = temp.resolve("work/kafka/server.properties");
        assertTrue(Files.readString(serverProperties).contains("listeners=SASL_PLAINTEXT://127.0.0.1:"));

        Map<String, String> logText = logs(temp.resolve("work/logs"));
        assertTrue(logText.keySet().containsAll(
                List.of("kafka.log", "reader.log", "preprocessor.log", "inference.log", "writer.log")),
                logText.keySet().toString());
        List<String> passwords = new ArrayList<>(users.passwords());
        passwords.add(operator.password());
        logText.forEach((name, text) -> {
            assertFalse(text.isEmpty(), name + " is empty");
            passwords.forEach(password -> assertFalse(text.contains(password), name + " holds a SASL password"));
        });
        for (String service : List.of("reader", "preprocessor", "inference", "writer")) {
            String text = logText.get(service + ".log");
            assertTrue(text.contains("sasl.mechanism = SCRAM-SHA-512"), service + " logged no client configuration");
            assertTrue(text.contains("sasl.jaas.config = [hidden]"), service + " did not mask sasl.jaas.config");
            // Some refusals do not stop a service (the lag monitor logs and goes on): none at all means
            // users.yaml grants every client of the service what it asks for.
            assertFalse(text.contains("AuthorizationException"), service + " was refused something:\n"
                    + text.lines().filter(l -> l.contains("AuthorizationException")).limit(5).toList());
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        passwords.forEach(password -> assertFalse(output.contains(password), "the launcher printed a password"));
    }

    /** The authorizer is on: the inference user, which may write predictions, may not write images. */
    private static void assertRefused(String bootstrap, ScramUser user) {
        Map<String, Object> config = new HashMap<>(user.clientConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            Exception refused = assertThrows(Exception.class,
                    () -> producer.send(new ProducerRecord<>("kbi.images", new byte[1])).get());
            Throwable cause = refused instanceof ExecutionException ? refused.getCause() : refused;
            assertInstanceOf(TopicAuthorizationException.class, cause, String.valueOf(cause));
        }
    }

    private static Map<String, JsonNode> readUsers() throws IOException {
        Map<String, JsonNode> users = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(USERS.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.path("kind").asText().equals("KafkaUser")) {
                    users.put(doc.path("metadata").path("name").asText(), doc.path("spec"));
                }
            }
        }
        assertTrue(users.keySet().containsAll(List.of("kbi-reader", "kbi-preprocessor", "kbi-inference",
                "kbi-writer")), users.keySet().toString());
        return users;
    }

    private static Map<String, String> logs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toMap(f -> f.getFileName().toString(), SecureBrokerIT::read));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The KafkaUsers of {@code users.yaml} on the local broker: the authorizer on with the operator as the only
     * super user (and the controller's own unauthenticated listener), each user given a password and its ACLs,
     * and service {@code s} logged in as {@code kbi-s}.
     */
    private static final class StrimziUsers implements BrokerAccess {

        private final Map<String, JsonNode> specs;
        private final Map<String, ScramUser> scramUsers = new HashMap<>();

        StrimziUsers(Map<String, JsonNode> specs) {
            this.specs = specs;
            specs.keySet().forEach(name -> scramUsers.put(name, new ScramUser(MECHANISM, name, "pw-" + UUID.randomUUID())));
        }

        ScramUser scramUser(String name) {
            return scramUsers.get(name);
        }

        List<String> passwords() {
            return scramUsers.values().stream().map(ScramUser::password).toList();
        }

        @Override
        public LocalKafkaBroker.Options configure(LocalKafkaBroker.Options broker) {
            return broker.withConfig("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                    .withConfig("allow.everyone.if.no.acl.found", "false")
                    .withConfig("super.users", "User:" + OPERATOR + ";User:ANONYMOUS");
        }

        @Override
        public void prepare(Admin admin) throws Exception {
            List<UserScramCredentialUpsertion> credentials = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            specs.forEach((name, spec) -> {
                credentials.add(new UserScramCredentialUpsertion(name,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), scramUsers.get(name).password()));
                acls.addAll(aclBindings(name, spec));
            });
            admin.alterUserScramCredentials(List.copyOf(credentials)).all().get();
            admin.createAcls(acls).all().get();
        }

        @Override
        public Map<String, String> serviceEnvironment(String service) {
            ScramUser user = scramUsers.get("kbi-" + service);
            return user == null ? Map.of() : Map.of("KAFKA_SASL_JAAS_CONFIG", user.clientConfig().get("sasl.jaas.config"));
        }

        /** The ACLs Strimzi's User Operator makes of a KafkaUser's {@code authorization.acls}. */
        private static List<AclBinding> aclBindings(String user, JsonNode spec) {
            List<AclBinding> bindings = new ArrayList<>();
            for (JsonNode acl : spec.path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                ResourceType type = switch (resource.path("type").asText()) {
                    case "topic" -> ResourceType.TOPIC;
                    case "group" -> ResourceType.GROUP;
                    case "cluster" -> ResourceType.CLUSTER;
                    case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
                    default -> throw new AssertionError("resource type " + resource);
                };
                String name = type == ResourceType.CLUSTER ? "kafka-cluster" : resource.path("name").asText();
                PatternType pattern = resource.path("patternType").asText("literal").equals("prefix")
                        ? PatternType.PREFIXED : PatternType.LITERAL;
                for (JsonNode operation : acl.path("operations")) {
                    AclOperation op = AclOperation.fromString(operation.asText());
                    assertFalse(op == AclOperation.UNKNOWN, "operation " + operation);
                    bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                            new AccessControlEntry("User:" + user, acl.path("host").asText("*"), op,
                                    AclPermissionType.ALLOW)));
                }
            }
            return bindings;
        }
    }
}
