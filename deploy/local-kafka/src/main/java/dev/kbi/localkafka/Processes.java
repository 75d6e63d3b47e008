package dev.kbi.localkafka;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Process helpers shared by {@link LocalKafkaBroker} and {@link LocalKafkaMain}. */
public final class Processes {

    /** How long a broker gets for its controlled shutdown before it is killed. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final int TAIL_BYTES = 8 * 1024;

    private Processes() {
    }

    /**
     * Sends SIGTERM (which makes Kafka shut down cleanly, flushing logs and releasing the data dir lock), waits up
     * to {@code timeout}, then kills the process.
     *
     * @return true when the process ended on SIGTERM, false when it had to be killed
     * @throws InterruptedException when interrupted while waiting; the process is then killed first
     */
    public static boolean stop(ProcessHandle process, Duration timeout) throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        try {
            if (awaitExit(process, timeout)) {
                return true;
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
        process.destroyForcibly();
        if (!awaitExit(process, KILL_TIMEOUT)) {
            throw new IllegalStateException("Process " + process.pid() + " survived SIGKILL for " + KILL_TIMEOUT);
        }
        return false;
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) throws InterruptedException {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            // onExit() only completes normally; anything else is a JDK bug worth surfacing.
            throw new IllegalStateException("Waiting for process " + process.pid() + " failed", e.getCause());
        }
    }

    /** The last few KiB of a log file, for error messages; never throws. */
    public static String tail(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, raf.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            // Drop the partial first line when we started mid-file.
            int newline = text.indexOf('\n');
            return start > 0 && newline >= 0 ? text.substring(newline + 1) : text;
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
