package dev.kbi.common.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureExitTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void exitsOnceUnhealthyForTheWholeGracePeriod() {
        FailureExit exit = new FailureExit(Duration.ofSeconds(30));
        assertFalse(exit.shouldExit(true, 0));
        assertFalse(exit.shouldExit(false, 10 * SECOND), "failed just now");
        assertFalse(exit.shouldExit(false, 39 * SECOND), "29 s of 30");
        assertTrue(exit.shouldExit(false, 40 * SECOND));
    }

    @Test
    void aRecoveryStartsTheCountAgain() {
        FailureExit exit = new FailureExit(Duration.ofSeconds(30));
        assertFalse(exit.shouldExit(false, 0));
        assertFalse(exit.shouldExit(true, 20 * SECOND));
        assertFalse(exit.shouldExit(false, 40 * SECOND));
        assertFalse(exit.shouldExit(false, 69 * SECOND));
        assertTrue(exit.shouldExit(false, 70 * SECOND));
    }

    @Test
    void zeroNeverExits() {
        FailureExit exit = new FailureExit(Duration.ZERO);
        assertFalse(exit.shouldExit(false, 0));
        assertFalse(exit.shouldExit(false, 1000 * SECOND));
    }
}
