package dev.kbi.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code run-local.sh --stats JOB [--writer URL]}: prints the stats of a running or finished job,
 * asked of the writer's job API (by default the Compose stack's, {@value #DEFAULT_WRITER}; the local
 * launcher prints its writer's address when it serves).
 */
final class StatsCommand {

    static final String FLAG = "--stats";
    static final String DEFAULT_WRITER = "http://127.0.0.1:8084";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private StatsCommand() {
    }

    /** @return the exit code: 0 printed, 1 the writer did not answer or knows no such job, 2 bad arguments */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String job = null;
        String writer = DEFAULT_WRITER;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(FLAG) && i + 1 < args.length) {
                job = args[++i];
            } else if (args[i].equals("--writer") && i + 1 < args.length) {
                writer = args[++i];
            } else {
                err.println("Usage: run-local.sh --stats JOB [--writer URL]   (unknown or incomplete: " + args[i] + ")");
                return 2;
            }
        }
        if (job == null) {
            err.println("Usage: run-local.sh --stats JOB [--writer URL]");
            return 2;
        }
        URI uri = URI.create(writer.replaceAll("/+$", "") + "/jobs/" + job + "/stats");
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(
                    HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                err.println("GET " + uri + ": HTTP " + response.statusCode() + " " + response.body());
                return 1;
            }
            JobStatsTable.print(response.body(), out);
            return 0;
        } catch (IOException e) {
            err.println("GET " + uri + " failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
