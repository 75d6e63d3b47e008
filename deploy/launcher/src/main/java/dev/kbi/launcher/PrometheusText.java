package dev.kbi.launcher;

import java.util.OptionalDouble;

/** Reads samples out of the Prometheus text exposition format. */
final class PrometheusText {

    private PrometheusText() {
    }

    /** The sample of an unlabelled {@code metric}; empty when there is none. */
    static OptionalDouble value(String body, String metric) {
        for (String line : body.split("\n")) {
            if (line.startsWith(metric + " ")) {
                return OptionalDouble.of(Double.parseDouble(line.substring(metric.length() + 1).trim()));
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * Sums the samples of {@code metric} whose label {@code label} equals {@code value}; empty when
     * there is none.
     */
    static OptionalDouble sum(String body, String metric, String label, String value) {
        String labelText = label + "=\"" + value + "\"";
        double total = 0;
        boolean found = false;
        for (String line : body.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains(labelText)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }
}
