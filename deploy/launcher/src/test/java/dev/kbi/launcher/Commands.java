package dev.kbi.launcher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs command-line tools for tests (examples, scripts, docker), each bounded by a timeout. */
final class Commands {

    private Commands() {
    }

    /** What a command printed (stdout and stderr together) and its exit code. */
    record Output(int exitCode, String text) {
    }

    /** Runs {@code command} in {@code dir}; fails, with what it printed, when it outlives {@code timeout}. */
    static Output run(Path dir, List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        Path log = Files.createTempFile("command", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not finish within " + timeout + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Output(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Like {@link #run}, and fails unless the command exits 0. */
    static String succeed(Path dir, List<String> command, Map<String, String> env, Duration timeout)
            throws Exception {
        Output output = run(dir, command, env, timeout);
        if (output.exitCode() != 0) {
            throw new AssertionError(command + " exited " + output.exitCode() + ":\n" + output.text());
        }
        return output.text();
    }
}
