package dev.kbi.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A genuine single-node Apache Kafka broker (KRaft, combined broker and controller) running as a separate JVM, bound
 * to 127.0.0.1 only.
 *
 * <p>{@link #start(Options)} formats the data dir on first use (so a restart on the same dir keeps topics and
 * records), launches {@code kafka.Kafka} from the broker jars and returns once the broker answers an Admin
 * {@code describeCluster}. {@link #close()} stops it with SIGTERM, killing it if it does not stop in time. Unless the
 * broker is {@linkplain Options#withDetached(boolean) detached}, a shutdown hook also stops it when this JVM exits, so
 * a crashed test run leaves no broker behind.
 *
 * <p>Files in the data dir: {@code server.properties}, {@code log4j2.xml}, {@code kraft/} (log and metadata dirs) and,
 * by default, {@code broker.log} (stdout, stderr and WARN+ log lines of the broker).
 *
 * <p>The client listener is PLAINTEXT unless {@link Options#withScramUser} asks for SASL_PLAINTEXT with SCRAM;
 * {@link #clientConfig()} then holds the settings that log in.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** Main class of the broker. */
    static final String BROKER_MAIN = "kafka.Kafka";
    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    private static final String HOST = "127.0.0.1";
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final System.Logger LOG = System.getLogger(LocalKafkaBroker.class.getName());

    private final Process process;
    private final String bootstrapServers;
    private final Path dataDir;
    private final Path logFile;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** How this broker was started, with the ports it got: a restart binds the same ones. */
    private final Options restartOptions;

    private LocalKafkaBroker(Process process, String bootstrapServers, Path dataDir, Path logFile,
            boolean detached, Options restartOptions) {
        this.process = process;
        this.restartOptions = restartOptions;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.logFile = logFile;
        if (detached) {
            this.shutdownHook = null;
        } else {
            this.shutdownHook = new Thread(this::stopQuietlyOnExit, "kbi-local-kafka-shutdown-" + process.pid());
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Starts a broker and waits until it answers.
     *
     * @throws IllegalStateException when the broker jars cannot be found
     * @throws IOException when files cannot be written, formatting fails, or the broker dies or does not become
     *         ready within {@link Options#startTimeout()}; the message holds the tail of the broker log
     */
    public static LocalKafkaBroker start(Options options) throws IOException, InterruptedException {
        Objects.requireNonNull(options, "options");
        Path libs = KafkaLibs.resolve(options.classpath());
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        // Before writing anything: a running broker's files must stay as they are.
        ensureNotInUse(dataDir);
        Path logFile = options.logFile() != null ? options.logFile().toAbsolutePath() : dataDir.resolve("broker.log");
        Files.createDirectories(logFile.getParent());

        int[] ports = choosePorts(options.port(), options.controllerPort());
        Path serverProperties = writeServerProperties(options, dataDir, ports[0], ports[1]);
        Path log4jConfig = writeLog4jConfig(dataDir);
        String classpath = libs.resolve("*").toString();
        Path java = options.javaExecutable() != null ? options.javaExecutable() : defaultJava();

        appendLogMarker(logFile, "starting broker on " + HOST + ":" + ports[0] + " (data dir " + dataDir + ")");
        if (!isFormatted(dataDir)) {
            format(java, classpath, log4jConfig, serverProperties, logFile, options.scramUser());
        }

        List<String> command = new ArrayList<>();
        if (options.detached()) {
            // A new session: the broker then gets no SIGHUP/SIGINT when the terminal that ran the CLI closes. A
            // freshly started child is never a process group leader, so setsid execs in place and the pid we
            // record stays the broker's.
            setsid().ifPresent(setsid -> command.add(setsid.toString()));
        }
        command.addAll(List.of(java.toString(), options.heap(), "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true"));
        command.addAll(options.jvmOptions());
        command.addAll(List.of("-Dlog4j2.configurationFile=" + log4jConfig.toUri(), "-cp", classpath, BROKER_MAIN,
                serverProperties.toString()));
        Process process = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        // The broker never reads stdin; closing our end avoids holding a pipe for a detached child.
        process.getOutputStream().close();

        LocalKafkaBroker broker = new LocalKafkaBroker(process, HOST + ":" + ports[0], dataDir, logFile,
                options.detached(), options.withPort(ports[0]).withControllerPort(ports[1]));
        try {
            broker.awaitReady(options.startTimeout());
        } catch (IOException | RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /**
     * Stops this broker as {@link #close()} does and starts it again on the same data dir and ports, so
     * that clients still holding {@link #bootstrapServers()} reconnect to it and find its topics, records,
     * committed offsets and transactions as they were. This instance stays closed; use the one returned.
     *
     * @throws IOException when the broker does not start again (the message holds the tail of its log), e.g.
     *         when another process took one of its ports meanwhile
     */
    public LocalKafkaBroker restart() throws IOException, InterruptedException {
        return restart(Duration.ZERO);
    }

    /**
     * Restarts the broker as {@link #restart()} does, keeping it down for {@code downtime} in between: an
     * outage of a known length, e.g. one longer than the clients' request timeouts.
     */
    public LocalKafkaBroker restart(Duration downtime) throws IOException, InterruptedException {
        close();
        Thread.sleep(downtime.toMillis());
        return start(restartOptions);
    }

    /** {@code host:port} of the client listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * What a client needs to connect: {@code bootstrap.servers} and, on a broker with a {@link ScramUser}, the
     * settings that log in as that user.
     */
    public Map<String, String> clientConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (restartOptions.scramUser() != null) {
            config.putAll(restartOptions.scramUser().clientConfig());
        }
        return config;
    }

    /** Operating-system id of the broker process. */
    public long pid() {
        return process.pid();
    }

    /** Whether the broker process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The data dir (absolute). */
    public Path dataDir() {
        return dataDir;
    }

    /** The file receiving the broker's output. */
    public Path logFile() {
        return logFile;
    }

    /**
     * Stops the broker: SIGTERM, then SIGKILL after {@link Processes#STOP_TIMEOUT}. Idempotent. When interrupted,
     * the broker is killed and the interrupt flag is set again.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down and the hook is running or will run; stopping twice is harmless.
            }
        }
        try {
            if (!Processes.stop(process.toHandle(), Processes.STOP_TIMEOUT)) {
                LOG.log(System.Logger.Level.WARNING, "Kafka broker {0} ignored SIGTERM for {1} and was killed",
                        process.pid(), Processes.STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LocalKafkaBroker[" + bootstrapServers + ", pid " + process.pid() + ", " + dataDir + "]";
    }

    private void stopQuietlyOnExit() {
        if (closed.compareAndSet(false, true)) {
            try {
                Processes.stop(process.toHandle(), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until the broker answers describeCluster. In KRaft the broker opens its client listener only once it
     * has caught up with the metadata log and is unfenced, so an answer means it is ready for clients. The wait
     * races against the process exiting, so a broker that dies fails fast instead of after the full timeout.
     */
    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        Properties props = new Properties();
        props.putAll(clientConfig());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kbi-local-kafka-readiness");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "250");
        long timeoutMs = Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        Admin admin = Admin.create(props);
        try {
            CompletableFuture<Collection<Node>> nodes = admin
                    .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                    .nodes().toCompletionStage().toCompletableFuture();
            // anyOf completes exceptionally when nodes does; the cause is read from nodes below.
            CompletableFuture.anyOf(nodes, process.onExit()).exceptionally(e -> null)
                    // Slack so that the Admin's own timeout, with its clearer message, fires first.
                    .get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
            if (!process.isAlive()) {
                throw startFailure("the broker process exited with code " + process.exitValue(), null);
            }
            Collection<Node> cluster = nodes.get();
            LOG.log(System.Logger.Level.DEBUG, "Kafka broker ready at {0}: {1}", bootstrapServers, cluster);
        } catch (ExecutionException e) {
            throw startFailure("it did not answer describeCluster within " + timeout, e.getCause());
        } catch (TimeoutException e) {
            throw startFailure("it did not answer describeCluster within " + timeout, e);
        } finally {
            // Zero: a plain close() would wait for the pending describeCluster, i.e. the whole timeout, when the
            // broker died.
            admin.close(Duration.ZERO);
        }
    }

    private IOException startFailure(String reason, Throwable cause) {
        return new IOException("Kafka broker at " + bootstrapServers + " (data dir " + dataDir + ") failed to start: "
                + reason + ". Last lines of " + logFile + ":\n" + Processes.tail(logFile), cause);
    }

    /** Whether {@code kafka.tools.StorageTool format} already ran on this data dir. */
    static boolean isFormatted(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve("kraft").resolve("meta.properties"));
    }

    /**
     * Fails when a broker already runs on this data dir. Kafka itself locks {@code kraft/.lock}, but only after its
     * controller has opened the metadata log, so a second broker on the same dir would disturb the first one before
     * failing. Kafka's lock is an OS file lock, which {@link FileChannel#tryLock()} sees across processes.
     */
    private static void ensureNotInUse(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve("kraft").resolve(".lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("Data dir " + dataDir + " is in use by another Kafka broker (" + lockFile
                        + " is locked)");
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new IOException("Data dir " + dataDir + " is in use by a Kafka broker in this JVM", e);
        }
    }

    private static void format(Path java, String classpath, Path log4jConfig, Path serverProperties, Path logFile,
            ScramUser scramUser) throws IOException, InterruptedException {
        String clusterId = Uuid.randomUuid().toString();
        // No --standalone: controller.quorum.voters is set, which makes the quorum static. The tool runs for about a
        // second, so C1 only and the serial GC shorten it by a third (JIT warm-up would never pay off).
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=" + log4jConfig.toUri(), "-cp", classpath,
                STORAGE_TOOL, "format", "-t", clusterId, "-c", serverProperties.toString()));
        if (scramUser != null) {
            // The user goes into the bootstrap metadata: it exists before the broker's first start, with no
            // ZooKeeper and no Admin call. (Its password is on this short-lived process's command line, which
            // local users can see; acceptable for a broker bound to 127.0.0.1.)
            command.addAll(List.of("--add-scram", scramUser.addScramArgument()));
        }
        Process format = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        format.getOutputStream().close();
        if (!format.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            format.destroyForcibly();
            throw new IOException("Formatting Kafka storage did not finish within " + FORMAT_TIMEOUT
                    + ". Last lines of " + logFile + ":\n" + Processes.tail(logFile));
        }
        if (format.exitValue() != 0) {
            throw new IOException("Formatting Kafka storage failed with exit code " + format.exitValue()
                    + ". Last lines of " + logFile + ":\n" + Processes.tail(logFile));
        }
    }

    private static Path writeServerProperties(Options options, Path dataDir, int port, int controllerPort)
            throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        // One client listener, also the inter-broker one (the broker sends itself transaction markers through it).
        String client = options.scramUser() == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        config.put("listeners", client + "://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        config.put("advertised.listeners", client + "://" + HOST + ":" + port);
        config.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", client);
        if (options.scramUser() != null) {
            config.putAll(options.scramUser().brokerConfig(client));
        }
        config.put("log.dirs", dataDir.resolve("kraft").toString());
        config.putAll(BrokerSettings.singleNode(options.messageMaxBytes()));
        config.putAll(options.config());
        StringBuilder text = new StringBuilder("# Written by dev.kbi.localkafka.LocalKafkaBroker on each start.\n");
        config.forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
        Path file = dataDir.resolve("server.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        if (options.scramUser() != null && Files.getFileStore(file).supportsFileAttributeView("posix")) {
            // It holds the SCRAM user's password (the broker's own login).
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }

    /** Escapes the characters that {@link Properties#load} treats specially (backslashes, e.g. Windows paths). */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    private static Path writeLog4jConfig(Path dataDir) throws IOException {
        Path file = dataDir.resolve("log4j2.xml");
        try (InputStream in = LocalKafkaBroker.class.getResourceAsStream("broker-log4j2.xml")) {
            if (in == null) {
                throw new IllegalStateException("broker-log4j2.xml missing from " + LocalKafkaBroker.class.getName()
                        + "'s package");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static void appendLogMarker(Path logFile, String message) throws IOException {
        Files.writeString(logFile, "=== kbi-local-kafka " + Instant.now() + ": " + message + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Ports for the client and controller listeners; 0 means a free one. Both probe sockets are held open together
     * so the two picks differ. Another process may still take a picked port before the broker binds it; the broker
     * then fails fast with "Address already in use" in its log.
     */
    private static int[] choosePorts(int port, int controllerPort) throws IOException {
        validatePort(port, "port");
        validatePort(controllerPort, "controllerPort");
        try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(HOST));
             ServerSocket second = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            int chosenPort = port != 0 ? port : first.getLocalPort();
            int chosenController = controllerPort != 0 ? controllerPort
                    : (second.getLocalPort() != chosenPort ? second.getLocalPort() : first.getLocalPort());
            if (chosenPort == chosenController) {
                throw new IllegalArgumentException("port and controllerPort must differ: " + chosenPort);
            }
            return new int[] {chosenPort, chosenController};
        }
    }

    private static void validatePort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " out of range: " + port);
        }
    }

    /** The running JVM's launcher when it is a {@code java} binary (not, e.g., a native launcher), else java.home's. */
    static Path defaultJava() {
        Optional<Path> current = ProcessHandle.current().info().command().map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("java") && Files.isExecutable(p));
        return current.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    private static Optional<Path> setsid() {
        return List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * How to start a {@link LocalKafkaBroker}. Create with {@link #of(Path)}, adjust with the {@code with} methods;
     * every instance is immutable.
     *
     * @param dataDir where the broker keeps its files; created when missing
     * @param port client (PLAINTEXT) port on 127.0.0.1; 0 picks a free port
     * @param controllerPort KRaft controller port on 127.0.0.1; 0 picks a free port
     * @param classpath folder of broker jars; null resolves it as {@code KafkaLibs} describes: system property
     *        {@code kbi.kafka.libs}, env {@code KBI_KAFKA_LIBS}, then
     *        {@code <project root>/deploy/local-kafka/target/kafka-libs}
     * @param javaExecutable the {@code java} binary; null uses this JVM's
     * @param heap the heap option, e.g. {@code -Xmx512m}
     * @param jvmOptions more options for the broker JVM, e.g. {@code -XX:TieredStopAtLevel=1} to start faster in
     *        tests at the cost of throughput
     * @param logFile where the broker's output goes; null means {@code <dataDir>/broker.log}
     * @param messageMaxBytes the broker's {@code message.max.bytes}
     * @param startTimeout how long {@link #start(Options)} waits for the broker to answer
     * @param detached when true the broker runs in its own session and outlives this JVM (no shutdown hook)
     * @param config extra {@code server.properties} entries, applied last (they override the defaults)
     * @param scramUser null for a PLAINTEXT client listener (the default); else the client listener is
     *        SASL_PLAINTEXT with this user's SCRAM mechanism, and the user is created when the data dir is formatted
     *        (a data dir formatted earlier keeps the users it was formatted with). The controller listener stays
     *        PLAINTEXT on 127.0.0.1.
     */
    public record Options(Path dataDir, int port, int controllerPort, Path classpath, Path javaExecutable,
            String heap, List<String> jvmOptions, Path logFile, int messageMaxBytes, Duration startTimeout,
            boolean detached, Map<String, String> config, ScramUser scramUser) {

        /** Default {@code message.max.bytes}: 8 MiB. */
        public static final int DEFAULT_MESSAGE_MAX_BYTES = BrokerSettings.DEFAULT_MESSAGE_MAX_BYTES;
        /** Default heap option. */
        public static final String DEFAULT_HEAP = "-Xmx512m";
        /** Default start timeout. */
        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

        /** Validates and copies. */
        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(heap, "heap");
            Objects.requireNonNull(startTimeout, "startTimeout");
            validatePort(port, "port");
            validatePort(controllerPort, "controllerPort");
            if (messageMaxBytes <= 0) {
                throw new IllegalArgumentException("messageMaxBytes must be positive: " + messageMaxBytes);
            }
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
            }
            jvmOptions = List.copyOf(jvmOptions);
            config = Map.copyOf(config);
        }

        /** Defaults: free ports, resolved jar folder, this JVM's java, -Xmx512m, 8 MiB messages, 60 s timeout. */
        public static Options of(Path dataDir) {
            return new Options(dataDir, 0, 0, null, null, DEFAULT_HEAP, List.of(), null, DEFAULT_MESSAGE_MAX_BYTES,
                    DEFAULT_START_TIMEOUT, false, Map.of(), null);
        }

        public Options withPort(int port) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }

        public Options withControllerPort(int controllerPort) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }

        public Options withClasspath(Path classpath) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }

        public Options withJavaExecutable(Path javaExecutable) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }

        public Options withHeap(String heap) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }

        public Options withJvmOptions(List<String> jvmOptions) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }

        public Options withLogFile(Path logFile) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }

        public Options withMessageMaxBytes(int messageMaxBytes) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }

        public Options withStartTimeout(Duration startTimeout) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }

        public Options withDetached(boolean detached) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }

        /** Adds (or replaces) one {@code server.properties} entry. */
        public Options withConfig(String key, String value) {
            Map<String, String> merged = new LinkedHashMap<>(config);
            merged.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, merged, scramUser);
        }

        /** A SASL_PLAINTEXT client listener with this SCRAM user (null: PLAINTEXT). */
        public Options withScramUser(ScramUser scramUser) {
            return new Options(dataDir, port, controllerPort, classpath, javaExecutable, heap, jvmOptions, logFile,
                    messageMaxBytes, startTimeout, detached, config, scramUser);
        }
    }
}
