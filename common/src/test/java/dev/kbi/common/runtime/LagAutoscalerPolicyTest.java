package dev.kbi.common.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LagAutoscalerPolicyTest {

    private final LagAutoscaler.Policy policy =
            new LagAutoscaler.Policy(1, 4, 8, 2, Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void wantsOneWorkerPerLagThresholdWithinBounds() {
        assertEquals(1, policy.wanted(0));
        assertEquals(1, policy.wanted(2), "at the activation threshold: the minimum");
        assertEquals(1, policy.wanted(8));
        assertEquals(2, policy.wanted(9));
        assertEquals(3, policy.wanted(24));
        assertEquals(4, policy.wanted(1_000), "capped at max");
    }

    @Test
    void refusesImpossibleBounds() {
        assertThrows(IllegalArgumentException.class,
                () -> new LagAutoscaler.Policy(0, 2, 8, 0, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new LagAutoscaler.Policy(3, 2, 8, 0, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new LagAutoscaler.Policy(1, 2, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }
}
