package dev.kbi.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A {@link LocalKafkaBroker} process on a temporary data dir, deleted on close. */
final class ProcessTestBroker implements TestBroker {

    /** JVM options that shorten a broker's start (about 5.4 s to 2.6 s here) at the cost of peak throughput. */
    static final List<String> FAST_START_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final LocalKafkaBroker broker;
    private final Path dataDir;

    private ProcessTestBroker(LocalKafkaBroker broker, Path dataDir) {
        this.broker = broker;
        this.dataDir = dataDir;
    }

    static ProcessTestBroker start(int messageMaxBytes) throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory("kbi-test-kafka-");
        // On failure the data dir stays, with broker.log, for diagnosis; the exception names it.
        LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.of(dataDir)
                .withMessageMaxBytes(messageMaxBytes)
                // Tests move little data: C1 only and the serial GC halve the broker's start time.
                .withJvmOptions(FAST_START_JVM_OPTIONS));
        return new ProcessTestBroker(broker, dataDir);
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public TestBrokerKind kind() {
        return TestBrokerKind.PROCESS;
    }

    @Override
    public void close() throws IOException {
        broker.close();
        deleteRecursively(dataDir);
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
