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
    void automaticChoiceIsInProcessEvenWithDockerPresent() {
        // This module's test class path holds all three kinds' classes; Docker is never asked.
        assertEquals(TestBrokerKind.INPROCESS, TestBrokerKind.choose(null, () -> fail("asked Docker")));
        assertEquals(TestBrokerKind.INPROCESS, TestBrokerKind.choose("auto", () -> fail("asked Docker")));
    }

    @Test
    void testcontainersOnlyWhenForcedAndDockerAnswers() {
        assertEquals(TestBrokerKind.TESTCONTAINERS, TestBrokerKind.choose("testcontainers", () -> true));
        assertThrows(IllegalStateException.class, () -> TestBrokerKind.choose("testcontainers", () -> false));
    }

    @Test
    void rejectsUnknownKinds() {
        assertThrows(IllegalArgumentException.class, () -> TestBrokerKind.choose("docker", () -> false));
    }
}
