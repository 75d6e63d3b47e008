package dev.kbi.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaMainTest {

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final LocalKafkaMain cli = new LocalKafkaMain(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void startStatusStopAreIdempotent() throws Exception {
        String dir = dataDir.toString();
        try {
            assertEquals(LocalKafkaMain.NOT_RUNNING, cli.run("status", "--data-dir", dir));
            assertEquals(LocalKafkaMain.OK, cli.run("start", "--data-dir", dir, "--heap", "-Xmx256m"), err::toString);

            Properties state = new Properties();
            try (InputStream in = Files.newInputStream(dataDir.resolve(LocalKafkaMain.STATE_FILE))) {
                state.load(in);
            }
            String bootstrap = state.getProperty("bootstrap.servers");
            assertTrue(Files.readString(dataDir.resolve(LocalKafkaMain.STATE_FILE))
                    .contains("bootstrap.servers=" + bootstrap + "\n"), "plain key=value for scripts");
            try (Admin admin = KafkaTestClients.admin(bootstrap)) {
                assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            }
            long pid = Long.parseLong(state.getProperty("pid"));
            assertDetached(pid);
            assertEquals(LocalKafkaMain.OK, cli.run("status", "--data-dir", dir));
            assertEquals(LocalKafkaMain.OK, cli.run("start", "--data-dir", dir));
            assertTrue(out.toString().contains("already running at " + bootstrap), out::toString);

            assertEquals(LocalKafkaMain.OK, cli.run("stop", "--data-dir", dir));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker still running");
            assertFalse(Files.exists(dataDir.resolve(LocalKafkaMain.PID_FILE)));
        } finally {
            assertEquals(LocalKafkaMain.OK, cli.run("stop", "--data-dir", dir), err::toString);
        }
        assertEquals(LocalKafkaMain.NOT_RUNNING, cli.run("status", "--data-dir", dir));
    }

    /** Its own session (setsid), so a closing terminal does not take the broker down. Linux only. */
    private static void assertDetached(long pid) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isReadable(stat) && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            String text = Files.readString(stat);
            // Fields after "(comm)": state ppid pgrp session ...
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            assertEquals(Long.toString(pid), fields[3], "session id of " + text);
        }
    }

    @Test
    void rejectsBadUsage() {
        assertEquals(LocalKafkaMain.USAGE, cli.run());
        assertEquals(LocalKafkaMain.USAGE, cli.run("restart", "--data-dir", "x"));
        assertEquals(LocalKafkaMain.USAGE, cli.run("stop"));
        assertEquals(LocalKafkaMain.USAGE, cli.run("stop", "--data-dir", "x", "--port", "1"));
        assertTrue(err.toString().contains("usage:"), err::toString);
    }
}
