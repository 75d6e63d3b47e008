package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard of the Compose stack ({@code deploy/monitoring/grafana}): every panel reads the provisioned
 * Prometheus data source, the panels tile the grid without overlapping, every query is PromQL that Prometheus
 * parses ({@code promtool check rules} over them as recording rules), and the provisioning and the Compose file
 * point at the same folders. That the metrics it reads exist is checked against live services by
 * {@code RunningPipelineIT}.
 */
class GrafanaDashboardTest {

    private static final Path GRAFANA = MonitoringQueries.MONITORING.resolve("grafana");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void everyPanelReadsTheProvisionedDataSourceAndTilesTheGrid() throws Exception {
        JsonNode datasource = YAML.readTree(GRAFANA.resolve("provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").get(0);
        String uid = datasource.path("uid").asText();
        assertEquals("http://prometheus:9090", datasource.path("url").asText());

        JsonNode dashboard = MonitoringQueries.dashboard();
        assertEquals("kbi-pipeline", dashboard.path("uid").asText());
        Set<String> cells = new HashSet<>();
        int queried = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            JsonNode grid = panel.path("gridPos");
            int x = grid.path("x").asInt();
            int w = grid.path("w").asInt();
            assertTrue(x >= 0 && w > 0 && x + w <= 24, panel.path("title") + " leaves the 24 columns");
            for (int row = grid.path("y").asInt(); row < grid.path("y").asInt() + grid.path("h").asInt(); row++) {
                for (int column = x; column < x + w; column++) {
                    assertTrue(cells.add(row + ":" + column), panel.path("title") + " overlaps another panel");
                }
            }
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertEquals(uid, panel.path("datasource").path("uid").asText(), panel.path("title").asText());
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertEquals(uid, target.path("datasource").path("uid").asText(), panel.path("title").asText());
                assertTrue(refIds.add(target.path("refId").asText()), panel.path("title") + ": refIds repeat");
                assertFalse(target.path("expr").asText().isBlank(), panel.path("title").asText());
                queried++;
            }
        }
        assertTrue(queried >= 10, "queries: " + queried);
    }

    @Test
    void everyQueryIsPromQlThatPrometheusParses(@TempDir Path temp) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> expressions = MonitoringQueries.dashboardExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            rules.append("      - record: kbi:dashboard_query_").append(i).append('\n')
                    .append("        expr: ").append(new com.fasterxml.jackson.databind.ObjectMapper()
                            .writeValueAsString(expressions.get(i))).append('\n');
        }
        Files.writeString(temp.resolve("queries.yml"), rules);

        Commands.Output output = Commands.run(temp, List.of("promtool", "check", "rules", "queries.yml"), Map.of(),
                Duration.ofMinutes(1));

        assertEquals(0, output.exitCode(), output.text());
        assertTrue(output.text().contains("SUCCESS: " + expressions.size() + " rules found"), output.text());
    }

    @Test
    void theComposeStackMountsTheProvisioningAndTheDashboards() throws Exception {
        Path composeFile = MonitoringQueries.MONITORING.resolveSibling("compose/compose.yaml");
        JsonNode grafana = YAML.readTree(composeFile.toFile()).path("services").path("grafana");
        Set<String> mounts = new HashSet<>();
        grafana.path("volumes").forEach(v -> mounts.add(v.asText()));
        assertEquals(Set.of("../monitoring/grafana/provisioning:/etc/grafana/provisioning:ro",
                "../monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro"), mounts);
        JsonNode provider = YAML.readTree(GRAFANA.resolve("provisioning/dashboards/kbi.yml").toFile())
                .path("providers").get(0);
        assertEquals("/var/lib/grafana/dashboards", provider.path("options").path("path").asText());
        assertTrue(Files.exists(GRAFANA.resolve("dashboards").resolve(MonitoringQueries.DASHBOARD.getFileName())));
    }
}
