package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String BODY = """
            # HELP kbi_stage_rows_out_total Rows emitted
            # TYPE kbi_stage_rows_out_total counter
            kbi_stage_rows_out_total{stage="inference"} 300.0
            kbi_stage_rows_out_total{stage="writer"} 12.0
            kbi_stage_busy_seconds_sum{stage="inference"} 1.5
            kbi_stage_busy_seconds_count{stage="inference"} 7.0
            kbi_inference_model_busy_seconds_total 4.25
            """;

    @Test
    void readsTheSampleOfTheStage() {
        assertEquals(300.0, PrometheusText.sum(BODY, "kbi_stage_rows_out_total", "stage", "inference").getAsDouble());
        assertEquals(1.5, PrometheusText.sum(BODY, "kbi_stage_busy_seconds_sum", "stage", "inference").getAsDouble());
        assertTrue(PrometheusText.sum(BODY, "kbi_stage_rows_out_total", "stage", "reader").isEmpty());
    }

    @Test
    void readsAnUnlabelledSample() {
        assertEquals(4.25, PrometheusText.value(BODY, "kbi_inference_model_busy_seconds_total").getAsDouble());
        assertTrue(PrometheusText.value(BODY, "kbi_inference_model_busy").isEmpty(), "whole names only");
    }
}
