package dev.kbi.writer.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The writer as Quarkus starts it, with no broker to reach (the test profile's bootstrap address):
 * the job-status app waits for its topics, readiness says so and stays UP, and {@code /jobs} answers
 * 503 with Retry-After until the store can be queried. The answers with data are in JobStatusIT.
 */
@QuarkusTest
class JobResourceTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @TestHTTPResource("/q/health/ready")
    URL ready;
    @TestHTTPResource("/jobs")
    URL jobs;

    @Test
    void readinessReportsTheAppAndJobsAnswerRetryLaterUntilTheStoreIsQueryable() throws Exception {
        HttpResponse<String> health = get(ready.toString());
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"kbi-job-status\"") && health.body().contains("WAITING_FOR_TOPICS"),
                health.body());

        for (String path : new String[] {"", "/job-1"}) {
            HttpResponse<String> answer = get(jobs + path);
            assertEquals(503, answer.statusCode(), path + ": " + answer.body());
            assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null), path);
            assertTrue(answer.body().startsWith("Job status not available yet"), answer.body());
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
