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
import java.util.stream.Stream;

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

    /** The metric names of the README's metrics table (between its {@code metrics-table} markers). */
    static Set<String> documentedMetrics() throws IOException {
        String readme = java.nio.file.Files.readString(MONITORING.resolve("../../README.md").normalize());
        int start = readme.indexOf("<!-- metrics-table -->");
        int end = readme.indexOf("<!-- /metrics-table -->");
        if (start < 0 || end < start) {
            throw new IllegalStateException("README.md has no metrics table");
        }
        Set<String> names = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\|").matcher(readme.substring(start, end));
        while (row.find()) {
            names.add(row.group(1));
        }
        return names;
    }

    /**
     * Whether {@code name} is among {@code exported} sample names, itself or as the series of a summary or
     * histogram ({@code _count}, {@code _sum}, {@code _max}, {@code _bucket}).
     */
    static boolean exported(String name, Set<String> exported) {
        return exported.contains(name) || Stream.of("_count", "_sum", "_max", "_bucket")
                .anyMatch(suffix -> exported.contains(name + suffix));
    }
}
