package dev.kbi.common.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * Waits until a broker's name resolves. A Kafka client refuses to be created when none of its bootstrap
 * addresses resolves ({@code ConfigException: No resolvable bootstrap urls}) instead of retrying as it
 * does for a broker that does not answer; on a Compose network the broker's name stops resolving while
 * its container is stopped. So a service asks here once, before its first client, and waits (a warning
 * each time, pauses of 1 s growing to 10 s) instead of failing its startup.
 */
public final class BootstrapAddresses {

    private static final Logger LOG = Logger.getLogger(BootstrapAddresses.class);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(10);

    /** Pauses between tries; {@link Thread#sleep} outside tests. */
    interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    private BootstrapAddresses() {
    }

    /**
     * Returns once a host of {@code bootstrapServers} ({@code host:port,...}) resolves.
     *
     * @throws ConfigException at once for an address without a host and port
     * @throws IllegalStateException when none resolved within {@code timeout}
     */
    public static void awaitResolvable(String bootstrapServers, Duration timeout) throws InterruptedException {
        awaitResolvable(bootstrapServers, timeout, BootstrapAddresses::resolves,
                pause -> Thread.sleep(pause.toMillis()), System::nanoTime);
    }

    static void awaitResolvable(String bootstrapServers, Duration timeout, Predicate<String> resolves, Sleeper sleeper,
            java.util.function.LongSupplier nanoTime) throws InterruptedException {
        List<String> hosts = hosts(bootstrapServers);
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        Duration pause = FIRST_PAUSE;
        while (hosts.stream().noneMatch(resolves)) {
            if (nanoTime.getAsLong() - deadline >= 0) {
                throw new IllegalStateException("No broker address of " + bootstrapServers + " resolved within "
                        + timeout + " (kbi.stage.bootstrap-resolve-timeout)");
            }
            LOG.warnf("No broker address of %s resolves yet; trying again in %d s", bootstrapServers,
                    pause.toSeconds());
            sleeper.sleep(pause);
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    /** The host names of {@code host:port,host:port} ({@code [::1]:9092} for IPv6), as Kafka's clients parse them. */
    static List<String> hosts(String bootstrapServers) {
        List<String> hosts = new ArrayList<>();
        for (String address : bootstrapServers == null ? new String[0] : bootstrapServers.split(",")) {
            String trimmed = address.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String host = Utils.getHost(trimmed);
            if (host == null || Utils.getPort(trimmed) == null) {
                throw new ConfigException("Invalid broker address in bootstrap.servers: " + trimmed);
            }
            hosts.add(host);
        }
        if (hosts.isEmpty()) {
            throw new ConfigException("bootstrap.servers names no broker");
        }
        return hosts;
    }

    private static boolean resolves(String host) {
        try {
            InetAddress.getAllByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
