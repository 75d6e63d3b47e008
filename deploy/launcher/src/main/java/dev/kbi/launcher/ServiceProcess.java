package dev.kbi.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One pipeline service running in its own JVM from its packaged Quarkus jar, as in production.
 * Configuration goes in through environment variables (MicroProfile Config names), its output to a
 * log file; health and metrics are read over its HTTP port.
 */
final class ServiceProcess implements AutoCloseable {

    /** Arrow's memory layer reads direct buffers through java.nio internals (JDK 17+). */
    static final String ARROW_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int httpPort;
    private final Path logFile;
    private final Process process;

    private ServiceProcess(String name, int httpPort, Path logFile, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Starts {@code services/<name>/target/quarkus-app/quarkus-run.jar}.
     *
     * @param env configuration (e.g. {@code KAFKA_BOOTSTRAP_SERVERS}); the HTTP port is added
     */
    static ServiceProcess start(Path projectRoot, String name, int httpPort, Map<String, String> env,
            List<String> jvmOptions, Path logDir) throws IOException {
        return start(projectRoot, name, httpPort, env, jvmOptions, logDir, name);
    }

    /**
     * Starts the service as {@link #start(Path, String, int, Map, List, Path)} does, its output going to
     * {@code <logDir>/<logName>.log} (a second instance, or a restart, keeps its own log).
     */
    static ServiceProcess start(Path projectRoot, String name, int httpPort, Map<String, String> env,
            List<String> jvmOptions, Path logDir, String logName) throws IOException {
        Path jar = projectRoot.resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Service jar " + jar + " is missing: build with './mvnw install -DskipTests'");
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(logName + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(ARROW_OPENS);
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(projectRoot.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        return new ServiceProcess(name, httpPort, log, builder.start());
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status of a process that has exited (137 after SIGKILL), -1 while it runs. */
    int exitStatus() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** The operating system's process id. */
    long pid() {
        return process.pid();
    }

    /** True when {@code /q/health/ready} answers UP. */
    boolean isReady() {
        return get("/q/health/ready").map(r -> r.statusCode() == 200).orElse(false);
    }

    /** False once {@code /q/health/live} answers DOWN (503); true while it is UP or not answering yet. */
    boolean isLive() {
        return get("/q/health/live").map(r -> r.statusCode() != 503).orElse(true);
    }

    /** The value of an unlabelled Prometheus sample, e.g. {@code kbi_inference_model_busy_seconds_total}. */
    OptionalDouble metric(String metric) {
        return get("/q/metrics").map(r -> PrometheusText.value(r.body(), metric)).orElse(OptionalDouble.empty());
    }

    /** Peak resident memory of the process (VmHWM from /proc), or -1 where /proc is not available. */
    long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The body of a 200 answer to {@code GET path}, if it gave one. */
    java.util.Optional<String> getOk(String path) {
        return get(path).filter(r -> r.statusCode() == 200).map(HttpResponse::body);
    }

    /**
     * {@code POST path} with a JSON body; the answer, whatever its status.
     *
     * @throws IOException when the service does not answer
     */
    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The body of {@code /q/health}, for error messages. */
    String health() {
        return get("/q/health").map(HttpResponse::body).orElse("(no answer on port " + httpPort + ")");
    }

    /** The value of a Prometheus sample {@code metric{...stage="<stage>"...}}, summed over matching lines. */
    OptionalDouble metric(String metric, String stage) {
        return get("/q/metrics").map(r -> PrometheusText.sum(r.body(), metric, "stage", stage))
                .orElse(OptionalDouble.empty());
    }

    int httpPort() {
        return httpPort;
    }

    /** {@code path} on the service's HTTP port. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private java.util.Optional<HttpResponse<String>> get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri(path))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return java.util.Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /**
     * Kills the service with SIGKILL, as a crash or an OOM kill would: no shutdown hook runs, no
     * transaction is finished or aborted, no consumer leaves its group. Returns once it is gone.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops the service with SIGTERM (Quarkus shuts down gracefully), killing it after a timeout. */
    @Override
    public void close() throws InterruptedException {
        dev.kbi.localkafka.Processes.stop(process.toHandle(), Duration.ofSeconds(30));
    }
}
