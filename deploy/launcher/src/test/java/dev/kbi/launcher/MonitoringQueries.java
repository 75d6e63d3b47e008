package dev.kbi.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL expressions of {@code deploy/monitoring}: the alerting rules' and the Grafana dashboard's. */
final class MonitoringQueries {

    static final Path MONITORING = Path.of("../monitoring").toAbsolutePath().normalize();
    static final Path ALERTS = MONITORING.resolve("alerts.yml");
    static final Path DASHBOARD = MONITORING.resolve("grafana/dashboards/kbi-pipeline.json");
    /** Metric names the services export (Prometheus' own {@code up} is not one). */
    private static final Pattern SERVICE_METRIC = Pattern.compile("\\b((?:kbi|jvm|process)_[a-z0-9_]+)\\b");

    private MonitoringQueries() {
    }

    static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    /** Every {@code expr} of the dashboard's panels. */
    static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        dashboard().path("panels").forEach(panel -> panel.path("targets").forEach(
                target -> expressions.add(target.path("expr").asText())));
        return expressions;
    }

    /** Every {@code expr} of the alerting rules. */
    static List<String> alertExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        new YAMLMapper().readTree(ALERTS.toFile()).path("groups").forEach(group -> group.path("rules").forEach(
                rule -> expressions.add(rule.path("expr").asText())));
        return expressions;
    }

    /** The service metrics the dashboard and the alerts read. */
    static Set<String> serviceMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        List<String> all = new ArrayList<>(dashboardExpressions());
        all.addAll(alertExpressions());
        for (String expression : all) {
            Matcher matcher = SERVICE_METRIC.matcher(expression);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}
