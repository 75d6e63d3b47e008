package dev.kbi.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

class TestBrokerKindTest {

    @Test
    void forcedKindWinsWithoutAskingDocker() {
        assertEquals(TestBrokerKind.PROCESS, TestBrokerKind.choose("process", () -> fail("asked Docker")));
        assertEquals(TestBrokerKind.INPROCESS, TestBrokerKind.choose(" InProcess ", () -> fail("asked Docker")));
    }

    @Test
    void automaticChoicePrefersDockerThenInProcess() {
        // This module's test class path holds all three kinds' classes.
        assertEquals(TestBrokerKind.TESTCONTAINERS, TestBrokerKind.choose(null, () -> true));
        assertEquals(TestBrokerKind.INPROCESS, TestBrokerKind.choose("auto", () -> false));
    }

    @Test
    void rejectsUnknownKinds() {
        assertThrows(IllegalArgumentException.class, () -> TestBrokerKind.choose("docker", () -> false));
    }
}
