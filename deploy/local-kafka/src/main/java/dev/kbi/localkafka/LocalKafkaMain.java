package dev.kbi.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Command line for the local run: starts a {@link LocalKafkaBroker} that outlives the command, and stops it later.
 *
 * <pre>
 * start  --data-dir DIR [--port 9092] [--controller-port 0] [--heap -Xmx512m] [--message-max-bytes N]
 *        [--kafka-libs DIR]
 * stop   --data-dir DIR
 * status --data-dir DIR
 * </pre>
 *
 * <p>{@code start} returns once the broker answers, after writing {@code <data-dir>/broker.pid} and
 * {@code <data-dir>/broker.properties} ({@code pid}, {@code bootstrap.servers}, {@code log.file}); it does nothing
 * when the broker of that data dir already runs. {@code stop} is idempotent. Exit codes: 0 done (or running, for
 * {@code status}), 1 failure, 2 usage error, 3 not running ({@code status} only).
 */
public final class LocalKafkaMain {

    /** Name of the state file in the data dir. */
    public static final String STATE_FILE = "broker.properties";
    /** Name of the pid file in the data dir. */
    public static final String PID_FILE = "broker.pid";

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_RUNNING = 3;

    private static final Set<String> START_OPTIONS =
            Set.of("--data-dir", "--port", "--controller-port", "--heap", "--message-max-bytes", "--kafka-libs");
    private static final String USAGE_TEXT = "usage: LocalKafkaMain start|stop|status --data-dir DIR [--port N]"
            + " [--controller-port N] [--heap -Xmx512m] [--message-max-bytes N] [--kafka-libs DIR]";

    private final PrintStream out;
    private final PrintStream err;

    LocalKafkaMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(new LocalKafkaMain(System.out, System.err).run(args));
    }

    /** Runs the command; returns the exit code. */
    int run(String... args) {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        Path dataDir = Path.of(options.get("--data-dir")).toAbsolutePath().normalize();
        try {
            return switch (args[0]) {
                case "start" -> start(dataDir, options);
                case "stop" -> stop(dataDir);
                case "status" -> status(dataDir);
                default -> throw new IllegalStateException("unreachable: " + args[0]);
            };
        } catch (IOException | RuntimeException e) {
            err.println("local-kafka " + args[0] + " failed: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("local-kafka " + args[0] + " interrupted");
            return FAILED;
        }
    }

    private int start(Path dataDir, Map<String, String> options) throws IOException, InterruptedException {
        Optional<ProcessHandle> running = runningBroker(dataDir);
        if (running.isPresent()) {
            out.println("Kafka already running at " + readState(dataDir).getProperty("bootstrap.servers")
                    + " (pid " + running.get().pid() + ", data dir " + dataDir + ")");
            return OK;
        }
        LocalKafkaBroker.Options brokerOptions = LocalKafkaBroker.Options.of(dataDir)
                .withPort(intOption(options, "--port", 0))
                .withControllerPort(intOption(options, "--controller-port", 0))
                .withMessageMaxBytes(intOption(options, "--message-max-bytes",
                        LocalKafkaBroker.Options.DEFAULT_MESSAGE_MAX_BYTES))
                .withHeap(options.getOrDefault("--heap", LocalKafkaBroker.Options.DEFAULT_HEAP))
                .withClasspath(options.containsKey("--kafka-libs") ? Path.of(options.get("--kafka-libs")) : null)
                .withDetached(true);
        // Detached: no shutdown hook, so the broker keeps running after this JVM exits.
        LocalKafkaBroker broker = LocalKafkaBroker.start(brokerOptions);
        writeAtomically(dataDir.resolve(PID_FILE), broker.pid() + "\n");
        // Plain key=value lines (no Properties escaping), readable by Properties.load and by shell scripts.
        writeAtomically(dataDir.resolve(STATE_FILE), "# Written by LocalKafkaMain start\n"
                + "pid=" + broker.pid() + "\n"
                + "bootstrap.servers=" + broker.bootstrapServers() + "\n"
                + "log.file=" + broker.logFile() + "\n");
        out.println("Kafka running at " + broker.bootstrapServers() + " (pid " + broker.pid() + ", log "
                + broker.logFile() + ")");
        return OK;
    }

    private int stop(Path dataDir) throws IOException, InterruptedException {
        Optional<ProcessHandle> running = runningBroker(dataDir);
        if (running.isPresent()) {
            boolean clean = Processes.stop(running.get(), Processes.STOP_TIMEOUT);
            out.println("Kafka stopped (pid " + running.get().pid() + (clean ? ")" : ", killed after timeout)"));
        } else {
            out.println("Kafka not running (data dir " + dataDir + ")");
        }
        Files.deleteIfExists(dataDir.resolve(PID_FILE));
        Files.deleteIfExists(dataDir.resolve(STATE_FILE));
        return OK;
    }

    private int status(Path dataDir) throws IOException {
        Optional<ProcessHandle> running = runningBroker(dataDir);
        if (running.isEmpty()) {
            out.println("Kafka not running (data dir " + dataDir + ")");
            return NOT_RUNNING;
        }
        out.println("Kafka running at " + readState(dataDir).getProperty("bootstrap.servers") + " (pid "
                + running.get().pid() + ")");
        return OK;
    }

    /**
     * The live broker process recorded for this data dir. A pid can be reused after a reboot or crash, so the
     * process must also look like this data dir's broker when the OS tells its command line.
     */
    static Optional<ProcessHandle> runningBroker(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve(PID_FILE);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            throw new IOException("Corrupt pid file " + pidFile + "; delete it if no broker runs", e);
        }
        String serverProperties = dataDir.resolve("server.properties").toString();
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine()
                        .map(line -> line.contains(LocalKafkaBroker.BROKER_MAIN) && line.contains(serverProperties))
                        .orElse(true));
    }

    private static Properties readState(Path dataDir) throws IOException {
        Properties state = new Properties();
        Path file = dataDir.resolve(STATE_FILE);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                state.load(in);
            }
        }
        return state;
    }

    /** Readers (scripts, the launcher) never see a half-written file. */
    private static void writeAtomically(Path target, String content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Map<String, String> parse(String[] args) {
        if (args.length == 0 || !List.of("start", "stop", "status").contains(args[0])) {
            throw new IllegalArgumentException(args.length == 0 ? "missing command" : "unknown command " + args[0]);
        }
        Set<String> allowed = args[0].equals("start") ? START_OPTIONS : Set.of("--data-dir");
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!allowed.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + " for " + args[0]);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--data-dir")) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        return options;
    }

    private static int intOption(Map<String, String> options, String name, int defaultValue) {
        String value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + value, e);
        }
    }
}
