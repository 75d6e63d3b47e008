package dev.kbi.localkafka;

/** A broker started for a test run; closing it stops it and removes its files. */
interface TestBroker extends KafkaBroker, AutoCloseable {

    /** Which implementation this is, for logs. */
    TestBrokerKind kind();

    @Override
    void close() throws Exception;
}
